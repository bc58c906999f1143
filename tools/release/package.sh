#!/usr/bin/env bash
# n2d package: the release files in one folder. For each platform, the Micro-Manager plugin jar (its CPU natives
# inside) and the command line (engine jar, lib/, launcher) zipped; then SHA256SUMS and SIZES.txt over them.
# Natives DJL and ONNX Runtime publish on Maven Central for each platform are fetched by Maven at build time (the
# first time only); nothing is downloaded when the products run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/release"

usage() {
  cat <<'USAGE'
Usage: n2d package [--out DIR] [--platforms LIST] [--offline] [--dry-run]
  --out DIR         where the release files go (default target/release; emptied first)
  --platforms LIST  comma-separated, of linux-x86_64, win-x86_64, osx-aarch64 (default: all three)
  --offline         Maven offline (-o): every native must already be in ~/.m2
  --dry-run         print the plan (Maven commands and files) and build nothing
USAGE
}

out="$root/target/release"
platforms="linux-x86_64,win-x86_64,osx-aarch64"
offline=()
dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "n2d package: error: --out needs a folder" >&2; exit 2; }; out="$2"; shift 2 ;;
    --platforms) [ $# -ge 2 ] || { echo "n2d package: error: --platforms needs a list" >&2; exit 2; }; platforms="$2"; shift 2 ;;
    --offline) offline=(-o); shift ;;
    --dry-run) dry=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "n2d package: error: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# The root pom's profile for each of DJL's platform names (native.classifier).
profile_of() {
  case "$1" in
    linux-x86_64) echo linux-x86_64 ;;
    win-x86_64) echo windows-x86_64 ;;
    osx-aarch64) echo macos-aarch64 ;;
    *) return 1 ;;
  esac
}
all_profiles="linux-x86_64 windows-x86_64 macos-aarch64"
# ONNX Runtime's name for the platform's native folder (the root pom's ort.native.dir).
ort_dir_of() {
  case "$1" in linux-x86_64) echo linux-x64 ;; win-x86_64) echo win-x64 ;; osx-aarch64) echo osx-aarch64 ;; esac
}

# The jar was built for the platform asked for: its libtorch and ONNX Runtime natives, no other platform's, and the
# licence files. Catches a profile that did not switch (an OS-activated one winning), which no test here would see.
check_plugin_jar() {
  local jar="$1" c="$2" list
  list="$(unzip -Z1 "$jar")"
  grep -q "^pytorch/cpu/$c/" <<< "$list" || { echo "n2d package: error: $jar has no pytorch/cpu/$c/" >&2; exit 1; }
  grep -q "^ai/onnxruntime/native/$(ort_dir_of "$c")/" <<< "$list" || {
    echo "n2d package: error: $jar has no ONNX Runtime natives for $c" >&2; exit 1; }
  if grep -E "^pytorch/cpu/[^/]+/" <<< "$list" | grep -v "^pytorch/cpu/$c/" | grep -q .; then
    echo "n2d package: error: $jar carries another platform's libtorch" >&2; exit 1
  fi
  for f in META-INF/LICENSE META-INF/THIRD-PARTY-NOTICES.md; do
    grep -qx "$f" <<< "$list" || { echo "n2d package: error: $jar has no $f" >&2; exit 1; }
  done
}

IFS=',' read -r -a plats <<< "$platforms"
[ ${#plats[@]} -gt 0 ] || { echo "n2d package: error: --platforms is empty" >&2; exit 2; }
for p in "${plats[@]}"; do
  profile_of "$p" > /dev/null || {
    echo "n2d package: error: unknown platform '$p' (known: linux-x86_64, win-x86_64, osx-aarch64)" >&2; exit 2; }
done
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
[ "$out" != "/" ] && [ "$out" != "$root" ] || { echo "n2d package: error: refusing --out $out" >&2; exit 2; }

version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
[ -n "$version" ] || { echo "n2d package: error: no <version> in $root/pom.xml" >&2; exit 1; }
work="$root/target/release-work"

# Exactly this platform's profile: an OS-activated one (on a Windows or macOS host) would stay on beside -P.
profiles_for() {
  local want="$1" arg="$1" p
  for p in $all_profiles; do [ "$p" = "$want" ] || arg="$arg,!$p"; done
  echo "$arg"
}

# Drops a jar's entries for other platforms, as the plugin jar's shade filters do: ONNX Runtime's jar carries every
# OS's natives with debug files (~137 MB), DJL's JNI jar every platform's. $2: the entries to consider, $3: of
# those, the ones to keep (extended regexes).
slim_jar() {
  local jar="$1" consider="$2" keep="$3" drop
  drop="$(unzip -Z1 "$jar" | grep -E "$consider" | grep -Ev "$keep" || true)"
  [ -z "$drop" ] || printf '%s\n' "$drop" | tr '\n' '\0' | xargs -0 zip -q -d "$jar" > /dev/null
}

run() {
  echo "+ $*" >&2
  [ "$dry" -eq 1 ] || "$@"
}

if [ "$dry" -eq 0 ]; then
  rm -rf "$out" "$work"
  mkdir -p "$out" "$work"
fi
cd "$root"
for c in "${plats[@]}"; do
  prof="$(profiles_for "$(profile_of "$c")")"
  echo "== $c (profile $prof)" >&2
  # -Dmdep.skip: target/engine/lib, the ./n2d launcher's class path, keeps the host's natives.
  run mvn -B -q "${offline[@]}" -DskipTests -Dmdep.skip=true package -pl src,mm-plugin -am -P "$prof"
  run cp "mm-plugin/target/n2d-live-mm-$version-$c.jar" "$out/"
  [ "$dry" -eq 1 ] || check_plugin_jar "$out/n2d-live-mm-$version-$c.jar" "$c"

  cli="n2d-live-cli-$version-$c"
  run mkdir -p "$work/$cli/lib"
  run mvn -B -q "${offline[@]}" dependency:copy-dependencies -pl src -P "$prof" -DincludeScope=runtime \
      -DoutputDirectory="$work/$cli/lib"
  run cp "target/engine/n2d-live-engine-$version.jar" LICENSE THIRD-PARTY-NOTICES.md "$work/$cli/"
  # The stream descriptors (~100 KB): `n2d stream --source test-streams/cells-256.stream` works from the folder.
  run cp -R test-streams "$work/$cli/"
  if [ "$c" = win-x86_64 ]; then
    # cmd.exe wants CRLF line ends.
    [ "$dry" -eq 1 ] || sed -e "s/@VERSION@/$version/g" -e 's/$/\r/' "$here/cli-n2d.cmd" > "$work/$cli/n2d.cmd"
  else
    [ "$dry" -eq 1 ] || { sed -e "s/@VERSION@/$version/g" "$here/cli-n2d.sh" > "$work/$cli/n2d"; chmod +x "$work/$cli/n2d"; }
  fi
  if [ "$dry" -eq 0 ]; then
    ls "$work/$cli/lib" | grep -q "^pytorch-native-cpu-.*-$c\.jar$" || {
      echo "n2d package: error: $cli/lib has no pytorch-native-cpu for $c" >&2; exit 1; }
    for j in "$work/$cli"/lib/onnxruntime-[0-9]*.jar; do
      slim_jar "$j" '^ai/onnxruntime/native/.+' "^ai/onnxruntime/native/$(ort_dir_of "$c")/([^/]+\\.(so|dll|dylib))?\$"
    done
    for j in "$work/$cli"/lib/pytorch-jni-*.jar; do slim_jar "$j" '^jnilib/[^/]+/.' "^jnilib/$c/"; done
    (cd "$work" && rm -f "$out/$cli.zip" && zip -q -r -X "$out/$cli.zip" "$cli")
  fi
  echo "   -> $out/n2d-live-mm-$version-$c.jar, $out/$cli.zip" >&2
done
[ "$dry" -eq 1 ] && exit 0

cd "$out"
files=(*.jar *.zip)
if command -v sha256sum > /dev/null; then sha256sum -- "${files[@]}" > SHA256SUMS; else shasum -a 256 -- "${files[@]}" > SHA256SUMS; fi
{
  echo "# bytes       MiB  file"
  for f in "${files[@]}"; do
    b=$(wc -c < "$f" | tr -d ' ')
    awk -v b="$b" -v f="$f" 'BEGIN { printf "%11d  %7.1f  %s\n", b, b / 1048576, f }'
  done
} > SIZES.txt
rm -rf "$work"
echo "n2d package: $out" >&2
cat SIZES.txt
