#!/usr/bin/env bash
# Builds timerdiff's fuzz targets as libFuzzer binaries on this machine,
# with go-118-fuzz-build and clang, by the same steps as ClusterFuzzLite
# (steps.sh):
#
#   fuzz/oss-fuzz/build.sh [OUT]      # default OUT: out/libfuzzer
#
# OUT gets FuzzDiff and FuzzConcurrent (libFuzzer binaries) and, for each,
# <target>_seed_corpus/ and <target>_seed_corpus.zip made from corpus/.
# Needs clang and libFuzzer (Debian: clang libfuzzer-19-dev); Go modules
# come from the module proxy. The repository is not modified: the build
# runs in a copy of it under a temporary folder.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=steps.sh
source "$repo/fuzz/oss-fuzz/steps.sh"

out=${1:-$repo/out/libfuzzer}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# clang that can link libFuzzer, or one line saying what to install.
export CC=${CC:-clang} CXX=${CXX:-clang++}
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >"$work/probe.c"
if ! command -v "$CC" >/dev/null 2>&1 || ! "$CC" -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" >/dev/null 2>&1; then
	lf_die "need clang with libFuzzer (-fsanitize=fuzzer): apt-get install clang libfuzzer-19-dev"
fi

# go-118-fuzz-build, pinned, into the temporary folder.
GOBIN=$work/bin go install "github.com/AdamKorcz/go-118-fuzz-build@$LF_GO118_VERSION"
export PATH=$work/bin:$PATH

# A copy of the module as it is in the work tree (tracked and untracked,
# not ignored), which the steps may change.
mkdir "$work/src"
git -C "$repo" ls-files -z --cached --others --exclude-standard |
	tar -C "$repo" --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$work/src" -xf -

lf_build_all "$work/src" "$out"
echo "built: $(cd "$out" && ls -d $LF_TARGETS | tr '\n' ' ')in $out"
