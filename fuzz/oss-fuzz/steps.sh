# shellcheck shell=bash
# The steps that turn timerdiff's native fuzz targets into libFuzzer
# binaries, shared by fuzz/oss-fuzz/build.sh (one machine) and
# .clusterfuzzlite/build.sh (ClusterFuzzLite / OSS-Fuzz image), so that
# what runs here is what runs there. Source this file, then call
# lf_build_all SRC OUT.
#
# lf_build_all works IN PLACE on SRC: go-118-fuzz-build rewrites the
# target's file while it builds, `go get` adds its testing shim to
# go.mod, and lf_prune deletes files. Give it a throwaway copy of the
# module (build.sh makes one; in ClusterFuzzLite the container's $SRC is
# one).
#
# compile_native_go_fuzzer PKG FUNC NAME is OSS-Fuzz's script (on PATH in
# its base-builder-go image). Where it is missing, build.sh defines a
# stand-in that does what its non-coverage path does.

# The targets, all in package LF_PKG; each binary is named as its target.
LF_TARGETS="FuzzDiff FuzzConcurrent"
LF_PKG=github.com/timerdiff/timerdiff/fuzz

# go-118-fuzz-build: the tool (build.sh installs it) and its testing shim
# (added to the copy's go.mod only: the repository's go.mod stays free of
# it), at one pinned version.
LF_GO118_VERSION=v0.0.0-20250520111509-a70c2aa677fa

lf_die() { echo "oss-fuzz: $*" >&2; exit 1; }

# lf_seeds SRC OUT: OUT/<target>_seed_corpus/ and OUT/<target>_seed_corpus.zip
# from every script under SRC/corpus (fuzz/oss-fuzz/seeds).
lf_seeds() {
	(cd "$1" && go run ./fuzz/oss-fuzz/seeds -corpus corpus -o "$2")
}

# lf_prune SRC: compile_native_go_fuzzer finds a target's file with
# `grep -r -l NAME` over the package folder and needs exactly one match.
# Remove from the copy's fuzz/ every subfolder (this one, regress, testdata) and
# every file that names a target without defining it (doc.go: comments
# only), then check that each name is in one file.
lf_prune() {
	local dir=$1/fuzz t f n
	find "$dir" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
	for t in $LF_TARGETS; do
		for f in $(grep -l -s "$t" "$dir"/*); do
			grep -q "^func $t(" "$f" || rm -f "$f"
		done
		n=$(grep -r -l -s "$t" "$dir" | wc -l)
		[ "$n" -eq 1 ] || lf_die "$t is named in $n files under fuzz/, want 1 (compile_native_go_fuzzer greps for it)"
	done
}

# lf_build_all SRC OUT: seeds, then every target as OUT/<target>.
lf_build_all() {
	local src=$1 out=$2 t
	mkdir -p "$out"
	lf_seeds "$src" "$out"
	lf_prune "$src"
	local log
	log=$(cd "$src" && go get "github.com/AdamKorcz/go-118-fuzz-build/testing@$LF_GO118_VERSION" 2>&1) ||
		{ echo "$log" >&2; lf_die "go get of go-118-fuzz-build's testing shim failed"; }
	echo "$log" | grep -v '^go: downloading' || true
	for t in $LF_TARGETS; do
		(cd "$src" && OUT=$out compile_native_go_fuzzer "$LF_PKG" "$t" "$t")
		[ -x "$out/$t" ] || lf_die "$t: no binary at $out/$t"
	done
}
