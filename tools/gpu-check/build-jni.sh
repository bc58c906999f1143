#!/usr/bin/env bash
# build-jni.sh — builds DJL 0.36's PyTorch JNI library (libdjl_torch.so) against the libtorch of this machine,
# typically the one inside a Python PyTorch install (torch/lib, torch/include, torch/share/cmake). Offline.
#
# Exit codes: 0 built; 2 bad arguments; 3 a required tool is missing; 4 the torch folder is not a usable libtorch;
# 5 the compilation failed (the log is named).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  cat <<'EOF'
usage: build-jni.sh --torch DIR --out FILE [options]

  --torch DIR        the libtorch: a Python torch package folder (lib/, include/, share/cmake/Torch/) or an
                     unpacked libtorch zip (same layout)
  --out FILE         where to put the built libdjl_torch.so
  --src DIR          DJL's JNI sources (djl-pytorch-jni; default: ../jni/djl-pytorch-jni beside this script in
                     the kit, else ../../../shared/djl-pytorch-jni from the repository)
  --header DIR       folder with the generated ai_djl_pytorch_jni_PyTorchLibrary.h (default: the kit's jni/include;
                     generated with javac -h when absent and a javac exists)
  --java-home DIR    a Java home with include/jni.h (default: the kit's runtime/, else $JAVA_HOME)
  --patch FILE       a patch to apply to the sources (repeatable; default: every patches/*.patch found beside)
  --work DIR         scratch folder (default: a new folder under ${TMPDIR:-/tmp})
  --method M         cmake (the sources' CMakeLists.txt), direct (the compiler alone) or auto (cmake, then
                     direct if cmake fails). Default: auto
  --cuda | --no-cuda build with or without USE_CUDA (default: with, when the torch folder has libtorch_cuda.so)
  --abi 0|1          _GLIBCXX_USE_CXX11_ABI of that libtorch (default: asked from python, else 1)
  --jobs N           parallel compile jobs (default: nproc)
  -h, --help         this text
EOF
}

die() { local code=$1; shift; echo "build-jni: error: $*" >&2; exit "$code"; }
say() { echo "build-jni: $*" >&2; }

torch="" out="" src="" header="" java_home="" work="" method=auto cuda=auto abi="" jobs="" python="${PYTHON:-python3}"
patches=()
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) torch="${2:?--torch needs a folder}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    --src) src="${2:?--src needs a folder}"; shift 2 ;;
    --header) header="${2:?--header needs a folder}"; shift 2 ;;
    --java-home) java_home="${2:?--java-home needs a folder}"; shift 2 ;;
    --patch) patches+=("${2:?--patch needs a file}"); shift 2 ;;
    --work) work="${2:?--work needs a folder}"; shift 2 ;;
    --method) method="${2:?--method needs cmake, direct or auto}"; shift 2 ;;
    --cuda) cuda=1; shift ;;
    --no-cuda) cuda=0; shift ;;
    --abi) abi="${2:?--abi needs 0 or 1}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
    --python) python="${2:?--python needs a program}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument '$1'" ;;
  esac
done
[ -n "$torch" ] || { usage >&2; die 2 "--torch is required"; }
[ -n "$out" ] || { usage >&2; die 2 "--out is required"; }
case "$method" in cmake|direct|auto) ;; *) die 2 "--method must be cmake, direct or auto, got '$method'" ;; esac
case "${abi:-x}" in 0|1|x) ;; *) die 2 "--abi must be 0 or 1, got '$abi'" ;; esac
[ -z "$jobs" ] || [[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die 2 "--jobs must be a positive number, got '$jobs'"
jobs="${jobs:-$(nproc 2>/dev/null || echo 4)}"

# --- the libtorch ---------------------------------------------------------------------------------------------
[ -d "$torch" ] || die 4 "no folder $torch"
torch="$(cd "$torch" && pwd)"
[ -f "$torch/lib/libtorch.so" ] || die 4 "$torch/lib/libtorch.so is missing: --torch must be a libtorch or Python torch folder"
[ -f "$torch/lib/libtorch_cpu.so" ] || die 4 "$torch/lib/libtorch_cpu.so is missing"
[ -f "$torch/include/torch/script.h" ] || die 4 "$torch/include/torch/script.h is missing: this torch has no C++ headers"
[ -f "$torch/include/torch/csrc/api/include/torch/torch.h" ] || die 4 "$torch/include/torch/csrc/api/include/torch/torch.h is missing"
if [ "$cuda" = auto ]; then
  if [ -f "$torch/lib/libtorch_cuda.so" ]; then cuda=1; else cuda=0; fi
fi
if [ "$cuda" = 1 ] && [ ! -f "$torch/lib/libtorch_cuda.so" ]; then
  die 4 "--cuda asked for, but $torch/lib/libtorch_cuda.so is missing (a CPU build of torch)"
fi
if [ -z "$abi" ]; then
  abi="$("$python" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null || true)"
  case "$abi" in 0|1) ;; *) abi=1; say "could not ask python for the C++ ABI; assuming _GLIBCXX_USE_CXX11_ABI=1 (every torch >= 2.7 wheel)" ;; esac
fi

# --- the sources, header, JNI headers ---------------------------------------------------------------------------
if [ -z "$src" ]; then
  for c in "$here/jni/djl-pytorch-jni" "$here/../jni/djl-pytorch-jni" "$here/../../../shared/djl-pytorch-jni"; do
    [ -d "$c" ] && { src="$c"; break; }
  done
fi
[ -n "$src" ] && [ -f "$src/engines/pytorch/pytorch-native/CMakeLists.txt" ] ||
  die 4 "DJL's JNI sources not found (${src:-none}): give --src <djl-pytorch-jni folder>"
src="$(cd "$src" && pwd)"
if [ ${#patches[@]} -eq 0 ]; then
  for d in "$here/patches" "$here/jni/patches" "$here/../jni/patches"; do
    if [ -d "$d" ]; then
      for p in "$d"/*.patch; do [ -f "$p" ] && patches+=("$p"); done
      break
    fi
  done
fi
if [ -z "$java_home" ]; then
  for c in "$here/runtime" "$here/../runtime" "${JAVA_HOME:-}"; do
    [ -n "$c" ] && [ -f "$c/include/jni.h" ] && { java_home="$c"; break; }
  done
fi
[ -n "$java_home" ] && [ -f "$java_home/include/jni.h" ] && [ -f "$java_home/include/linux/jni_md.h" ] ||
  die 3 "no jni.h: give --java-home <folder with include/jni.h and include/linux/jni_md.h>"
java_home="$(cd "$java_home" && pwd)"
if [ -z "$header" ]; then
  for c in "$here/jni/include" "$here/../jni/include"; do
    [ -f "$c/ai_djl_pytorch_jni_PyTorchLibrary.h" ] && { header="$c"; break; }
  done
fi

# --- tools -----------------------------------------------------------------------------------------------------
cxx="${CXX:-}"
if [ -z "$cxx" ]; then
  for c in c++ g++ clang++; do command -v "$c" >/dev/null 2>&1 && { cxx="$(command -v "$c")"; break; }; done
fi
[ -n "$cxx" ] || die 3 "no C++ compiler (c++, g++ or clang++; or set CXX)"
pybin="$(dirname "$(command -v "$python" 2>/dev/null || echo /nonexistent/python)")"
find_tool() { # a tool on PATH, or beside the python that holds torch (pip's cmake and ninja live there)
  command -v "$1" 2>/dev/null || { [ -x "$pybin/$1" ] && echo "$pybin/$1"; } || true
}
cmake_bin="$(find_tool cmake)"
ninja_bin="$(find_tool ninja)"
cuda_home=""
if [ "$cuda" = 1 ]; then
  nvcc_bin="$(find_tool nvcc)"
  [ -z "$nvcc_bin" ] && [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] && nvcc_bin="${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"
  [ -n "$nvcc_bin" ] || die 3 "no nvcc (CUDA's compiler) on PATH or in \$CUDA_HOME/bin: a CUDA build needs the CUDA toolkit"
  # the toolkit's root: $CUDA_HOME, else beside nvcc, else where nvcc says it lives (nvcc may be a wrapper script)
  for c in "${CUDA_HOME:-}" "$(dirname "$(readlink -f "$nvcc_bin")")/.." \
      "$("$nvcc_bin" --dryrun -x cu -c /dev/null -o /dev/null 2>&1 | sed -n 's/^#\$ TOP=//p' | head -1)" /usr/local/cuda; do
    if [ -n "$c" ] && [ -f "$c/include/cuda_runtime_api.h" ]; then cuda_home="$(cd "$c" && pwd)"; break; fi
  done
  [ -n "$cuda_home" ] || die 3 "no CUDA toolkit headers (include/cuda_runtime_api.h) found for $nvcc_bin: set CUDA_HOME"
fi
if [ "$method" = cmake ] && [ -z "$cmake_bin" ]; then die 3 "--method cmake, but no cmake on PATH or beside $python"; fi

work="${work:-$(mktemp -d "${TMPDIR:-/tmp}/djl-jni.XXXXXX")}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
log="$work/build.log"
: >"$log"
say "torch $torch (cuda=$cuda, cxx11 abi=$abi), sources $src, work $work, log $log"

# --- copy and patch --------------------------------------------------------------------------------------------
rm -rf "$work/src"
cp -r "$src" "$work/src"
native="$work/src/engines/pytorch/pytorch-native"
for p in "${patches[@]}"; do
  [ -f "$p" ] || die 2 "no patch file $p"
  say "applying $(basename "$p")"
  if command -v patch >/dev/null 2>&1; then
    (cd "$work/src" && patch -p1 --forward --batch <"$p") >>"$log" 2>&1 || die 5 "patch $p does not apply (see $log)"
  elif command -v git >/dev/null 2>&1; then
    (cd "$work/src" && git apply -p1 "$p") >>"$log" 2>&1 || die 5 "patch $p does not apply (see $log)"
  else
    die 3 "neither patch nor git is available to apply $p"
  fi
done
mkdir -p "$native/build/include"
if [ -n "$header" ]; then
  cp "$header/ai_djl_pytorch_jni_PyTorchLibrary.h" "$native/build/include/"
elif command -v javac >/dev/null 2>&1; then
  say "generating the JNI header with javac -h"
  javac -h "$native/build/include" -d "$work/classes" \
    "$work/src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java" >>"$log" 2>&1 ||
    die 5 "javac -h failed (see $log)"
else
  die 3 "no generated JNI header (--header) and no javac to make one"
fi

# --- build -----------------------------------------------------------------------------------------------------
built=""
extra_defs=""

cmake_build() {
  local b="$work/build-cmake"
  rm -rf "$b"
  local gen=()
  [ -n "$ninja_bin" ] && gen=(-G Ninja -DCMAKE_MAKE_PROGRAM="$ninja_bin")
  say "cmake configure ($([ -n "$ninja_bin" ] && echo ninja || echo make))"
  # TORCH_CUDA_ARCH_LIST: no CUDA kernels are compiled here; naming one architecture skips the detection run
  if ! TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}" CUDA_HOME="${cuda_home:-${CUDA_HOME:-}}" "$cmake_bin" \
      -S "$native" -B "$b" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$torch/share/cmake" -DJAVA_HOME="$java_home" \
      ${cuda_home:+-DCUDAToolkit_ROOT="$cuda_home" -DCMAKE_CUDA_COMPILER="$cuda_home/bin/nvcc"} \
      -DUSE_CUDA="$([ "$cuda" = 1 ] && echo 1 || echo 0)" \
      -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$abi $extra_defs" >>"$log" 2>&1; then
    say "cmake configure failed (see $log)"
    return 1
  fi
  say "cmake build, $jobs jobs"
  "$cmake_bin" --build "$b" -j "$jobs" >>"$log" 2>&1 || { say "cmake build failed (see $log)"; return 1; }
  [ -f "$b/libdjl_torch.so" ] || { say "cmake built no libdjl_torch.so"; return 1; }
  built="$b/libdjl_torch.so"
}

direct_build() {
  local b="$work/build-direct"
  rm -rf "$b"
  mkdir -p "$b"
  local inc=(-I"$native/build/include" -I"$work/src/api/src/main/native" -I"$java_home/include" -I"$java_home/include/linux"
    -I"$torch/include" -I"$torch/include/torch/csrc/api/include")
  local defs=(-D_GLIBCXX_USE_CXX11_ABI="$abi")
  local libs=(-L"$torch/lib" -Wl,-rpath,"$torch/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10)
  if [ "$cuda" = 1 ]; then
    defs+=(-DUSE_CUDA)
    inc+=(-I"$cuda_home/include")
    # a pip install keeps CUDA's headers in nvidia/*/include as well; the toolkit's come first
    for d in "$torch"/../nvidia/*/include; do [ -d "$d" ] && inc+=(-I"$d"); done
    libs+=(-ltorch_cuda -lc10_cuda)
    # libtorch_cuda's own needs (cuBLAS, cuDNN, ...) live in the pip packages: let the linker see them
    for d in "$torch"/../nvidia/*/lib "$cuda_home/lib64"; do [ -d "$d" ] && libs+=(-Wl,-rpath-link,"$d"); done
  fi
  for d in $extra_defs; do defs+=("$d"); done
  say "compiling $(ls "$native"/src/main/native/*.cc | wc -l) files with $cxx, $jobs jobs"
  export cxx b
  printf '%s\n' "$native"/src/main/native/*.cc |
    xargs -P "$jobs" -I{} sh -c '"$cxx" "$@" -c "{}" -o "$b/$(basename "{}" .cc).o"' _ \
      -std=c++17 -O2 -fPIC -fvisibility=default -w "${defs[@]}" "${inc[@]}" >>"$log" 2>&1 ||
    { say "compilation failed (see $log)"; return 1; }
  "$cxx" -shared -o "$b/libdjl_torch.so" "$b"/*.o "${libs[@]}" -Wl,-rpath,'$ORIGIN' >>"$log" 2>&1 ||
    { say "link failed (see $log)"; return 1; }
  built="$b/libdjl_torch.so"
}

profiler_broken() { grep -q -E 'enableProfilerLegacy|disableProfilerLegacy|LegacyEvent|ProfilerConfig|profiler_legacy' "$log"; }

attempt() {
  case "$1" in
    cmake) [ -n "$cmake_bin" ] || { say "no cmake; skipping the cmake build"; return 1; }; cmake_build ;;
    direct) direct_build ;;
  esac
}

build_with() {
  attempt "$1" && return 0
  if profiler_broken && [ -z "$extra_defs" ]; then
    # the only part of the sources tied to torch's legacy profiler; n2d-live never calls it
    say "the legacy profiler API is missing in this libtorch: rebuilding with -DDJL_NO_LEGACY_PROFILER"
    extra_defs="-DDJL_NO_LEGACY_PROFILER"
    attempt "$1" && return 0
  fi
  return 1
}

case "$method" in
  cmake) build_with cmake || die 5 "the cmake build failed; last lines of $log:$(echo; tail -n 30 "$log")" ;;
  direct) build_with direct || die 5 "the direct build failed; last lines of $log:$(echo; tail -n 30 "$log")" ;;
  auto)
    if ! build_with cmake; then
      say "falling back to the direct build"
      extra_defs=""
      build_with direct || die 5 "both builds failed; last lines of $log:$(echo; tail -n 30 "$log")"
    fi ;;
esac

# --- check and install -----------------------------------------------------------------------------------------
if command -v nm >/dev/null 2>&1; then
  nm -D --defined-only "$built" | grep -q Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSetGradMode ||
    die 5 "$built lacks the JNI entry points"
fi
mkdir -p "$(dirname "$out")"
cp "$built" "$out.tmp" && mv "$out.tmp" "$out"
say "built $out ($(du -k "$out" | cut -f1) kB${extra_defs:+, $extra_defs})"
