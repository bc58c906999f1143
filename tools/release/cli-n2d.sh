#!/bin/sh
# n2d-live @VERSION@ command line (release zip). Needs Java 11 or later: JAVA_HOME, or java on the PATH.
# The GPU: `n2d gpu use <folder with a CUDA libtorch>`, then `n2d gpu status`; no environment variable needed.
here="$(cd "$(dirname "$0")" && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# glibc's allocator, tuned: libtorch's many short-lived buffers made the 512² CPU forward ~3x slower without this.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4000000000}"
export TORCH_CPP_LOG_LEVEL="${TORCH_CPP_LOG_LEVEL:-ERROR}"
# The heap gives back what it does not use (G1 keeps 10-30 % free).
exec "$java" ${N2D_JAVA_OPTS:--Xmx4g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30} \
  -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Dorg.slf4j.simpleLogger.log.ai.djl.onnxruntime.engine.OrtEngine=error \
  -cp "$here/n2d-live-engine-@VERSION@.jar:$here/lib/*" org.n2dlive.cli.Main "$@"
