#!/usr/bin/env bash
# run-gpu-check.sh — the GPU run of n2d-live, in one go, from a packed kit (tools/gpu-check/pack.sh):
# finds the CUDA libtorch of the machine's Python PyTorch (2.7.1 + CUDA 12.8: the libtorch DJL 0.36 publishes its
# JNI library for; that library comes from DJL's pytorch-jni jar in the kit), and runs n2d gpu-check (GPU
# against CPU, memory, transfers, worker throughput), n2d bench --device gpu, and
# n2d stream --device gpu on cells-256 and cells-2048, on the kit's own Java runtime. Needs no network.
#
# Exit codes: 0 every step ran and every check passed; 1 a step or check failed (see summary.txt);
# 2 bad arguments; 3 no usable GPU or no runtime (nothing was run).
set -uo pipefail

kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  cat <<'EOF'
usage: run-gpu-check.sh [options]

  --out DIR          where the figures and logs go (default: $OUT if set, else ./gpu-check-out)
  --python PY        the Python whose torch to use (default: python3)
  --torch-dir DIR    the torch (or libtorch) folder instead of asking Python
  --jni FILE         a libdjl_torch.so built for that torch, for a torch other than 2.7.1+cu128 (DJL's
                     pytorch-jni jar has the JNI for 2.7.1 only; see README.md)
  --frames N         frames of the memory/transfer check (default 2000)
  --deadline S       start no step after S seconds, and clip each step to what is left (default 380)
  --quick            small sizes and few frames: checks the kit itself in about a minute
  --dry-run          resolve everything, print the plan, run nothing
  -h, --help         this text

Files in the output folder: summary.txt, gpu-check.json, bench-gpu.json, bench-gpu-tf32.json,
streams.jsonl, logs.tgz (every log, nvidia-smi's memory samples).
EOF
}

die() { local code=$1; shift; echo "run-gpu-check: error: $*" >&2; exit "$code"; }
say() { echo "run-gpu-check: $*" >&2; }

out="${OUT:-}" python=python3 torch_dir="" jni="" frames=2000 deadline=380 quick=0 dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --python) python="${2:?--python needs a program}"; shift 2 ;;
    --torch-dir) torch_dir="${2:?--torch-dir needs a folder}"; shift 2 ;;
    --jni) jni="${2:?--jni needs a file}"; shift 2 ;;
    --frames) frames="${2:?--frames needs a number}"; shift 2 ;;
    --deadline) deadline="${2:?--deadline needs seconds}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --dry-run) dry=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument '$1'" ;;
  esac
done
[[ "$frames" =~ ^[1-9][0-9]*$ ]] && [ "$frames" -ge 10 ] || die 2 "--frames must be a number >= 10, got '$frames'"
[[ "$deadline" =~ ^[1-9][0-9]*$ ]] || die 2 "--deadline must be a positive number of seconds, got '$deadline'"
[ -z "$jni" ] || [ -f "$jni" ] || die 2 "--jni: no file $jni"
out="${out:-$PWD/gpu-check-out}"
start=$(date +%s)

# --- preflight: a GPU, the runtime, the kit -------------------------------------------------------------------
[ -x "$kit/bin/n2d" ] && [ -d "$kit/app" ] && [ -d "$kit/lib" ] || die 3 "$kit is not a packed kit (bin/n2d, app/, lib/): run tools/gpu-check/pack.sh first"
[ -x "$kit/runtime/bin/java" ] || die 3 "no Java runtime in $kit/runtime (the kit was packed with --no-jlink?)"
command -v nvidia-smi >/dev/null 2>&1 || die 3 "no NVIDIA GPU here: nvidia-smi is not on PATH (this check needs an NVIDIA GPU and its driver)"
gpus="$(nvidia-smi -L 2>&1)" || die 3 "no NVIDIA GPU here: nvidia-smi -L failed: $gpus"
echo "$gpus" | grep -q '^GPU ' || die 3 "no NVIDIA GPU here: nvidia-smi -L lists none ($gpus)"

# --- the torch and its version --------------------------------------------------------------------------------
if [ -z "$torch_dir" ]; then
  command -v "$python" >/dev/null 2>&1 || die 3 "no $python to find torch with: give --torch-dir"
  info="$("$python" -c 'import os, torch; print(os.path.dirname(torch.__file__)); print(torch.__version__); print(torch.version.cuda or "")' 2>&1)" ||
    die 3 "$python cannot import torch: $info"
  torch_dir="$(echo "$info" | sed -n 1p)"
  torch_version="$(echo "$info" | sed -n 2p)"
  torch_cuda="$(echo "$info" | sed -n 3p)"
else
  [ -f "$torch_dir/version.py" ] || die 3 "$torch_dir/version.py missing: cannot tell the torch version"
  torch_version="$(sed -n "s/^__version__ = '\(.*\)'.*/\1/p" "$torch_dir/version.py")"
  torch_cuda="$(sed -n "s/^cuda: .*= '\(.*\)'.*/\1/p; s/^cuda = '\(.*\)'.*/\1/p" "$torch_dir/version.py" | head -1)"
fi
[ -f "$torch_dir/lib/libtorch.so" ] || die 3 "$torch_dir/lib/libtorch.so missing: not a torch install with its libraries"
pt_version="${torch_version%%+*}"            # 2.11.0+cu130 -> 2.11.0
[[ "$pt_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die 3 "unexpected torch version '$torch_version'"
case "$torch_version" in
  *+cu*) flavor="${torch_version##*+}" ;;
  *) [ -n "$torch_cuda" ] || die 3 "torch $torch_version at $torch_dir is a CPU build: a GPU run needs a CUDA build"
     flavor="cu$(echo "$torch_cuda" | tr -d .)" ;;
esac
[ -f "$torch_dir/lib/libtorch_cuda.so" ] || die 3 "$torch_dir/lib/libtorch_cuda.so missing: torch $torch_version is not a CUDA build"
# DJL 0.36 publishes its JNI library for libtorch 2.7.1 only (pytorch-jni jar: cpu and cu128); offline, another
# torch finds none, so it needs a JNI built for it, given with --jni.
published_jni=0
if [ "$pt_version" = 2.7.1 ] && [ "$flavor" = cu128 ]; then published_jni=1; fi
[ -n "$jni" ] || [ "$published_jni" = 1 ] ||
  die 3 "torch $torch_version ($flavor): DJL 0.36 publishes its JNI for libtorch 2.7.1 + CUDA 12.8 (cu128) only; use that torch, or give --jni with a libdjl_torch.so built for this one"

work="${TMPDIR:-/tmp}/n2d-gpu-check.$$"
logs="$work/logs"
cache="$work/djl-cache"
jni_dest="$cache/pytorch/$pt_version-$flavor-linux-x86_64/0.36.0-libdjl_torch.so"   # where DJL 0.36's LibUtils looks

# CUDA's runtime for DJL's own device queries (JNA loads libcudart): the pip package's, then the toolkit's
lib_dirs="$torch_dir/lib"
jna_dirs=""
for d in "$torch_dir"/../nvidia/*/lib; do [ -d "$d" ] && lib_dirs="$lib_dirs:$(cd "$d" && pwd)"; done
for d in "$torch_dir"/../nvidia/*/lib "${CUDA_HOME:-/usr/local/cuda}/lib64" /usr/local/cuda/lib64; do
  # CUDA 12 wheels keep it in nvidia/cuda_runtime/lib, CUDA 13 ones in nvidia/cu13/lib
  [ -d "$d" ] && ls "$d"/libcudart.so* >/dev/null 2>&1 && jna_dirs="${jna_dirs:+$jna_dirs:}$(cd "$d" && pwd)"
done

if [ -n "$jni" ]; then jni_plan="$jni -> $jni_dest"; else
  jni_plan="DJL's own, from the kit's pytorch-jni jar (jnilib/linux-x86_64/$flavor)"; fi

if [ "$quick" = 1 ]; then
  frames=40
  check_args=(--sizes 256 --steps 20 --frames 40 --warmup-frames 10 --sample-every 10 --throughput-source cells-256 --throughput-frames 20)
  stream_frames=(30 6 10)
else
  check_args=(--frames "$frames" --warmup-frames 200 --sample-every 100)
  stream_frames=(300 40 60)
fi

cat <<EOF >&2
run-gpu-check: GPU            $(echo "$gpus" | head -1)
run-gpu-check: torch          $torch_version ($flavor) at $torch_dir
run-gpu-check: DJL sees       PYTORCH_LIBRARY_PATH=$torch_dir/lib PYTORCH_VERSION=$pt_version PYTORCH_FLAVOR=$flavor
run-gpu-check: JNI library    $jni_plan
run-gpu-check: output         $out (work folder $work)
EOF
if [ "$dry" = 1 ]; then say "dry run: nothing run"; exit 0; fi

mkdir -p "$out" "$logs" "$(dirname "$jni_dest")" || die 1 "cannot create $out or $work"
failures=()
step_ok() { echo "$(date -u +%H:%M:%S) ok   $1" >>"$logs/steps.txt"; }
step_fail() { failures+=("$1"); echo "$(date -u +%H:%M:%S) FAIL $1" >>"$logs/steps.txt"; say "step failed: $1"; }
time_left() { echo $(( deadline - ($(date +%s) - start) )); }

# nvidia-smi's view of memory and load, every 500 ms, for the whole run (a second source beside DJL's)
nvidia-smi --query-gpu=timestamp,memory.used,memory.total,utilization.gpu --format=csv -lms 500 >"$logs/nvidia-smi.csv" 2>&1 &
smi_pid=$!
finish() {
  kill "$smi_pid" 2>/dev/null
  wait "$smi_pid" 2>/dev/null
  summarize
  tar -czf "$out/logs.tgz" -C "$work" logs 2>/dev/null
  say "figures and logs in $out: $(cd "$out" && ls | tr '\n' ' ')"
}

# --- 1. the JNI library: DJL extracts its own from the pytorch-jni jar; a given one goes where DJL looks first --
if [ -n "$jni" ]; then
  cp "$jni" "$jni_dest" && step_ok "jni (given)" || step_fail "jni: cannot copy $jni"
fi

export PYTORCH_LIBRARY_PATH="$torch_dir/lib" PYTORCH_VERSION="$pt_version" PYTORCH_FLAVOR="$flavor"
export ENGINE_CACHE_DIR="$cache" DJL_CACHE_DIR="$cache"
export LD_LIBRARY_PATH="$lib_dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export N2D_JAVA_OPTS="${N2D_JAVA_OPTS:--Xmx16g} -Djna.library.path=$jna_dirs"
# TF32 off: cuDNN's convolutions otherwise round inputs to 10 mantissa bits, ~1e-3 relative, above the 1e-4
# faithfulness target; bench-gpu-tf32.json measures what allowing it would gain.
export NVIDIA_TF32_OVERRIDE=0

run_step() { # name, timeout seconds, output file ("" = log only), command...
  local name=$1 limit=$2 file=$3
  shift 3
  local left
  left=$(time_left)
  if [ "$left" -le 5 ]; then step_fail "$name (skipped: past --deadline)"; return 1; fi
  [ "$limit" -gt "$left" ] && limit=$left
  say "$name (at most ${limit}s)"
  local rc=0
  if [ -n "$file" ]; then
    timeout "$limit" "$@" >"$logs/$name.stdout" 2>"$logs/$name.log" || rc=$?
  else
    timeout "$limit" "$@" >"$logs/$name.log" 2>&1 || rc=$?
  fi
  if [ "$rc" -eq 0 ]; then step_ok "$name"; else step_fail "$name (exit $rc$([ "$rc" -eq 124 ] && echo ', timed out'))"; fi
  return "$rc"
}

summarize() {
  {
    echo "n2d-live GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(($(date +%s) - start)) s"
    echo "GPU: $(echo "$gpus" | head -1)"
    echo "torch $torch_version ($flavor) at $torch_dir"
    [ -f "$kit/KIT_INFO" ] && sed 's/^/kit: /' "$kit/KIT_INFO"
    echo
    echo "steps:"
    cat "$logs/steps.txt" 2>/dev/null
    echo
    if [ -f "$out/gpu-check.json" ] && "$python" -c 'pass' 2>/dev/null; then
      "$python" - "$out" <<'PY' 2>&1
import json, os, sys
out = sys.argv[1]
def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except Exception as e:
        return None
g = load("gpu-check.json")
if g:
    print("gpu-check (device %s vs %s; %s):" % (g.get("device"), g.get("reference"), g.get("engine")))
    for c in g.get("checks", []):
        print("  %s %-42s measured %-12s limit %s" % ("PASS" if c["passed"] else "FAIL", c["name"], c["measured"], c["limit"]))
    for r in g.get("throughput", []):
        print("  throughput %-10s %s: %s ms/frame p50, %s frames/s (first frame, with the fit: %s ms)" % (
            r["profile"], r["frame"], r["ms_per_frame_p50"], r["frames_per_s"], r["first_frame_fit_ms"]))
for name in ("bench-gpu.json", "bench-gpu-tf32.json"):
    b = load(name)
    if b:
        keys = [k for k in b if k.startswith(("forward_ms.pytorch", "forward_tflops.pytorch", "pipeline_", "train_step", "full_n2d"))]
        print(name + ": " + ", ".join("%s %s" % (k, b[k]) for k in keys))
try:
    with open(os.path.join(out, "streams.jsonl")) as f:
        for line in f:
            s = json.loads(line)
            print("stream %s %s: worker %s ms/frame, steady %s fps, PSNR %s -> %s dB, frames out %s" % (
                s.get("source"), s.get("profile"), s.get("worker_ms_per_frame"), s.get("steady_fps"),
                s.get("psnr_noisy_db"), s.get("psnr_db"), s.get("frames_out")))
except Exception:
    pass
PY
    fi
    echo
    if [ ${#failures[@]} -eq 0 ]; then echo "RESULT: every step ran and every check passed"; else
      echo "RESULT: ${#failures[@]} step(s) failed:"; printf '  %s\n' "${failures[@]}"; fi
  } >"$out/summary.txt"
  cat "$out/summary.txt"
}

# --- 2. the runs ------------------------------------------------------------------------------------------------
n2d="$kit/bin/n2d"
if run_step probe 120 "" "$n2d" gpu-check --probe --device gpu; then
  # most important first: a step that would pass the deadline is skipped, and the summary says so
  run_step gpu-check 200 json "$n2d" gpu-check --json "${check_args[@]}"
  [ -s "$logs/gpu-check.stdout" ] && cp "$logs/gpu-check.stdout" "$out/gpu-check.json"
  if [ "$quick" = 1 ]; then bench_args=(--quick --repeats 3); else bench_args=(--repeats 10); fi
  run_step bench-gpu 120 json "$n2d" bench --device gpu --json "${bench_args[@]}"
  [ -s "$logs/bench-gpu.stdout" ] && cp "$logs/bench-gpu.stdout" "$out/bench-gpu.json"
  : >"$out/streams.jsonl"
  i=0
  for s in "cells-256 balanced" "cells-2048 balanced" "cells-2048 live-fast"; do
    set -- $s
    name="stream-$1-$2"
    run_step "$name" 90 json "$n2d" stream --source "$1" --profile "$2" --device gpu --set policy=record --fps 0 \
      --frames "${stream_frames[$i]}" --json --report-every 5
    [ -s "$logs/$name.stdout" ] && tail -n 1 "$logs/$name.stdout" >>"$out/streams.jsonl"
    i=$((i + 1))
  done
  run_step bench-gpu-tf32 60 json env -u NVIDIA_TF32_OVERRIDE "$n2d" bench --device gpu --json --quick --repeats 5
  [ -s "$logs/bench-gpu-tf32.stdout" ] && cp "$logs/bench-gpu-tf32.stdout" "$out/bench-gpu-tf32.json"
else
  say "DJL could not use the GPU (logs/probe.log); the remaining runs were skipped"
  failures+=("gpu-check, bench, streams (skipped: the probe failed)")
fi

finish
[ ${#failures[@]} -eq 0 ] || exit 1
[ -f "$out/gpu-check.json" ] && grep -q '"all_passed":true' "$out/gpu-check.json" || exit 1
exit 0
