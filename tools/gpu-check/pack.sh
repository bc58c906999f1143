#!/usr/bin/env bash
# pack.sh — packs the folder that carries n2d-live's GPU check to a machine with an NVIDIA GPU, a Python
# PyTorch 2.7.1 built for CUDA 12.8, and no Java and no network: the engine jar and the Java jars it runs with
# (DJL's pytorch-jni jar with its published JNI libraries included; no CPU natives of libtorch; ONNX Runtime's
# natives for linux-x64 only), a jlink runtime of the JDK modules they need, the test-stream descriptors, and
# the scripts. Run it here, then carry the folder (see tools/gpu-check/README.md).
#
# Exit codes: 0 packed; 2 bad arguments; 3 a tool or input is missing; 4 the kit is larger than --max-mb.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

usage() {
  cat <<'EOF'
usage: pack.sh [options] OUTDIR

  --engine-dir DIR   the engine build: n2d-live-engine-*.jar and lib/ (default: target/engine, built with
                     Maven first when missing or older than the sources)
  --jdk DIR          the JDK whose jlink, jdeps and jmods to use (default: the one javac belongs to)
  --no-jlink         leave out the Java runtime (fast; for tests of the packing itself)
  --max-mb N         refuse a kit larger than N MB (default 60)
  -h, --help         this text

OUTDIR is emptied first (it must be empty, absent, or a kit packed before).
EOF
}

die() { local code=$1; shift; echo "pack: error: $*" >&2; exit "$code"; }
say() { echo "pack: $*" >&2; }

engine_dir="" jdk="" jlink=1 max_mb=60 outdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --engine-dir) engine_dir="${2:?--engine-dir needs a folder}"; shift 2 ;;
    --jdk) jdk="${2:?--jdk needs a folder}"; shift 2 ;;
    --no-jlink) jlink=0; shift ;;
    --max-mb) max_mb="${2:?--max-mb needs a number}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die 2 "unknown option '$1'" ;;
    *) [ -z "$outdir" ] || die 2 "one OUTDIR only (got '$outdir' and '$1')"; outdir="$1"; shift ;;
  esac
done
[ -n "$outdir" ] || { usage >&2; die 2 "OUTDIR is required"; }
[[ "$max_mb" =~ ^[1-9][0-9]*$ ]] || die 2 "--max-mb must be a positive number, got '$max_mb'"

# --- inputs ----------------------------------------------------------------------------------------------------
if [ -z "$jdk" ]; then
  javac_bin="$(command -v javac || true)"
  [ -n "$javac_bin" ] || die 3 "no javac on PATH: give --jdk"
  jdk="$(cd "$(dirname "$(readlink -f "$javac_bin")")/.." && pwd)"
fi
for t in javac jar jdeps; do [ -x "$jdk/bin/$t" ] || die 3 "$jdk/bin/$t missing: --jdk must be a full JDK"; done

if [ -z "$engine_dir" ]; then
  engine_dir="$repo/target/engine"
  jar_now="$(ls "$engine_dir"/n2d-live-engine-*.jar 2>/dev/null | head -1 || true)"
  if [ -z "$jar_now" ] || [ ! -d "$engine_dir/lib" ] ||
     [ -n "$(find "$repo/src/main" "$repo/src/pom.xml" "$repo/pom.xml" "$repo/profiles" -newer "$jar_now" -print -quit 2>/dev/null)" ]; then
    say "building the engine (mvn -B -q -o -DskipTests -pl src -am package) ..."
    (cd "$repo" && mvn -B -q -o -DskipTests -pl src -am package) >&2 || die 3 "the engine build failed"
  fi
fi
[ -d "$engine_dir/lib" ] || die 3 "$engine_dir/lib missing: not an engine build folder"
engine_jar="$(ls "$engine_dir"/n2d-live-engine-*.jar 2>/dev/null | head -1 || true)"
[ -n "$engine_jar" ] || die 3 "no n2d-live-engine-*.jar in $engine_dir"

if [ "$jlink" = 1 ]; then
  [ -x "$jdk/bin/jlink" ] || die 3 "$jdk/bin/jlink missing"
  if [ ! -f "$jdk/jmods/java.base.jmod" ]; then
    # Debian and Ubuntu ship the jmods jlink links from in a package of their own
    pkg="openjdk-$("$jdk/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')-jmods"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "$jdk/jmods is missing; installing $pkg (apt-get) ..."
      { apt-get update -q && apt-get install -y -q "$pkg"; } >&2 || die 3 "apt-get install $pkg failed: install it, or give --jdk a JDK with jmods/"
    fi
    [ -f "$jdk/jmods/java.base.jmod" ] || die 3 "$jdk/jmods/java.base.jmod missing: jlink needs the JDK's jmods (Debian/Ubuntu: apt-get install $pkg)"
  fi
fi

# --- the folder ------------------------------------------------------------------------------------------------
if [ -e "$outdir" ]; then
  [ -d "$outdir" ] || die 2 "$outdir exists and is not a folder"
  if [ -n "$(ls -A "$outdir")" ] && [ ! -f "$outdir/KIT_INFO" ]; then
    die 2 "$outdir is not empty and not a kit packed before: refusing to empty it"
  fi
  rm -rf "$outdir"
fi
mkdir -p "$outdir"/{app,lib,bin,test-streams}
outdir="$(cd "$outdir" && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/n2d-pack.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

cp "$engine_jar" "$outdir/app/"
# Jars: everything the engine runs with, except libtorch's CPU natives (the GPU machine brings a CUDA libtorch
# 2.7.1). DJL's pytorch-jni jar stays: its jnilib/linux-x86_64/cu128 library is the JNI for that libtorch, as DJL
# publishes it. ONNX Runtime's jar keeps the linux-x64 natives only (130 MB with every platform and debug symbols).
: >"$scratch/left-out"
for j in "$engine_dir"/lib/*.jar; do
  name="$(basename "$j")"
  case "$name" in
    pytorch-native-*) echo "$name" >>"$scratch/left-out" ;;
    onnxruntime-[0-9]*.jar)
      mkdir -p "$scratch/ort"
      (cd "$scratch/ort" && "$jdk/bin/jar" xf "$j")
      find "$scratch/ort/ai/onnxruntime/native" -mindepth 1 -maxdepth 1 -type d ! -name linux-x64 -exec rm -rf {} +
      if [ -f "$scratch/ort/META-INF/MANIFEST.MF" ]; then
        "$jdk/bin/jar" --create --file "$outdir/lib/$name" --manifest "$scratch/ort/META-INF/MANIFEST.MF" -C "$scratch/ort" .
      else
        "$jdk/bin/jar" --create --file "$outdir/lib/$name" -C "$scratch/ort" .
      fi
      "$jdk/bin/jar" tf "$outdir/lib/$name" | grep -q 'native/linux-x64/libonnxruntime.so' ||
        say "warning: $name has no linux-x64 natives: the onnx engine will not run in the kit"
      ;;
    *) cp "$j" "$outdir/lib/" ;;
  esac
done

# The Java modules: what jdeps finds in the jars, plus those used only through reflection (jdk.unsupported:
# sun.misc.Unsafe in Gson and JNA) and java.logging. Left out, each used only by code the engine never runs:
# java.compiler (javax.tools in DJL's ClassLoaderUtils compiles Java source at run time; error_prone's
# annotations) and java.sql (Gson's optional java.sql.Date adapters, looked up by reflection).
# java.desktop stays: the engine's PNG reader and writer use ImageIO.
modules_of() { # jar -> comma list; modular jars are read as plain classes (their requires may be absent)
  local j=$1 d
  if "$jdk/bin/jar" tf "$j" | grep -q -E '(^|/)module-info\.class$'; then
    d="$scratch/jdeps/$(basename "$j")"
    mkdir -p "$d"
    (cd "$d" && "$jdk/bin/jar" xf "$j")
    find "$d" -name module-info.class -delete
    "$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$d" 2>/dev/null || true
  else
    "$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$j" 2>/dev/null || true
  fi
}
mods="java.base,java.logging,java.management,jdk.unsupported"
for j in "$outdir"/app/*.jar "$outdir"/lib/*.jar; do mods="$mods,$(modules_of "$j")"; done
modules="$(echo "$mods" | tr ',' '\n' | grep -v -E '^(java.compiler|java.sql)?$' | sort -u | paste -sd, -)"

if [ "$jlink" = 1 ]; then
  say "jlink: $modules"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --compress=2 \
    --exclude-files='**/libawt_xawt.so,**/libsplashscreen.so,**/libjsound.so' \
    --output "$outdir/runtime" >&2 || die 3 "jlink failed"
  if command -v strip >/dev/null 2>&1; then # symbols of the JVM's own libraries: 3-4 MB nobody reads there
    find "$outdir/runtime/lib" -name '*.so' -exec strip --strip-unneeded {} + 2>/dev/null || say "warning: strip failed; the runtime keeps its symbols"
  fi
  "$outdir/runtime/bin/java" -version >/dev/null 2>&1 || die 3 "the jlink runtime does not start"
fi

cp "$repo"/test-streams/*.stream "$repo"/test-streams/README.md "$outdir/test-streams/"
cp "$here/run-gpu-check.sh" "$here/README.md" "$outdir/"
cp "$here/kit-n2d" "$outdir/bin/n2d"
chmod +x "$outdir/run-gpu-check.sh" "$outdir/bin/n2d"

{
  echo "packed $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
  echo "java $("$jdk/bin/javac" -version 2>&1 | cut -d' ' -f2), modules $modules$([ "$jlink" = 1 ] || echo ' (no runtime: --no-jlink)')"
  echo "left out: $(paste -sd' ' "$scratch/left-out")"
} >"$outdir/KIT_INFO"
(cd "$outdir" && find . -type f ! -name MANIFEST.txt -printf '%s %p\n' | sort -k2) >"$outdir/MANIFEST.txt"

kb="$(du -sk "$outdir" | cut -f1)"
say "packed $outdir: $((kb / 1024)) MB in $(wc -l <"$outdir/MANIFEST.txt") files"
[ "$kb" -le $((max_mb * 1024)) ] || die 4 "the kit is $((kb / 1024)) MB, over --max-mb $max_mb"
