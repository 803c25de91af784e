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
# Each target is built by lf_compile: go-118-fuzz-build, then clang with
# libFuzzer, as OSS-Fuzz's compile_native_go_fuzzer does on its
# non-coverage path, but with go-118-fuzz-build's -include (LF_INCLUDE),
# which that script does not pass. go-118-fuzz-build is on PATH in
# OSS-Fuzz's base-builder-go image; build.sh installs it here. A
# coverage build (SANITIZER=coverage, ClusterFuzzLite's coverage task)
# is compile_native_go_fuzzer's own `go test` path, not tried here.

# The targets, all in package LF_PKG; each binary is named as its target.
LF_TARGETS="FuzzDiff FuzzConcurrent"
LF_PKG=github.com/timerdiff/timerdiff/fuzz

# go-118-fuzz-build: the tool (build.sh installs it) and its testing shim
# (added to the copy's go.mod only: the repository's go.mod stays free of
# it), at one pinned version.
LF_GO118_VERSION=v0.0.0-20250520111509-a70c2aa677fa

# What the compiler instruments for libFuzzer (go-118-fuzz-build
# -include: comma-separated import paths, a trailing * a prefix): the
# code under test, the ports of time.go with their glue (oldimpl,
# newimpl, internal/series/*), and the decoder that turns the input into
# a program (internal/ops), whose branches are what the coverage should
# steer. The simulator, the schedulers and the judges are left out:
# their branches say nothing new about time.go, and every comparison in
# an instrumented package is a call into libFuzzer's C hooks, half of
# FuzzConcurrent's CPU time when they were in (measured: README, "The
# fuzzing engines"). go-118-fuzz-build's default, "*", instruments every
# package it loads (the compiler itself always skips package runtime and
# its internal packages): sync, reflect, time, fmt, strconv... too. The
# native engine (go test -fuzz) instruments every package but sync,
# sync/atomic, reflect, time, testing, context and a few more, and has
# no -include. go-118-fuzz-build applies -include only to the packages
# it loaded before it swapped in its shim: the shim, go-fuzz-headers
# (which reads the target's []byte), what they import that the target
# does not (archive/tar, os/user), runtime/cgo and its generated main
# stay instrumented whatever -include says. LF_INCLUDE in the
# environment builds another way: 'github.com/timerdiff/timerdiff/*'
# every timerdiff package (the scope before this one), '*' everything
# (speed.sh -a compares the latter).
LF_INCLUDE=${LF_INCLUDE:-github.com/timerdiff/timerdiff/oldimpl,github.com/timerdiff/timerdiff/newimpl,github.com/timerdiff/timerdiff/internal/series/*,github.com/timerdiff/timerdiff/internal/ops}

# The pair the binaries fuzz when their runner sets no TIMERDIFF_OLD or
# TIMERDIFF_NEW (commit hash prefixes of the series; empty: the pair under
# test, b5a99eaa and 2fb5ef88). ClusterFuzzLite's build sets LF_NEW to
# upstream's fix, where any report is a false alarm to fix; the variables
# still override it when a binary runs.
LF_OLD=${LF_OLD:-}
LF_NEW=${LF_NEW:-}

lf_die() { echo "oss-fuzz: $*" >&2; exit 1; }

# lf_seeds SRC OUT: OUT/<target>_seed_corpus/ and OUT/<target>_seed_corpus.zip
# from every script under SRC/corpus (fuzz/oss-fuzz/seeds).
lf_seeds() {
	(cd "$1" && go run ./fuzz/oss-fuzz/seeds -corpus corpus -o "$2")
}

# lf_pair SRC: when LF_OLD or LF_NEW is set, SRC/fuzz/pair_built.go
# makes it the binaries' default pair (fuzz/oss-fuzz/pairfile checks it
# against the series).
lf_pair() {
	[ -n "$LF_OLD$LF_NEW" ] || return 0
	(cd "$1" && go run ./fuzz/oss-fuzz/pairfile -old "$LF_OLD" -new "$LF_NEW" -o fuzz/pair_built.go) ||
		lf_die "LF_OLD=$LF_OLD LF_NEW=$LF_NEW: no such pair"
	echo "pair: ${LF_OLD:-b5a99eaa} vs ${LF_NEW:-2fb5ef88} (fuzz/pair_built.go)"
}

# lf_prune SRC: compile_native_go_fuzzer (coverage builds) finds a
# target's file with `grep -r -l NAME` over the package folder and needs
# exactly one match (lf_compile's go-118-fuzz-build does not need this).
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

# lf_compile PKG FUNC NAME OUT, in the module's folder: OUT/NAME, the
# libFuzzer binary of target FUNC in package PKG. go-118-fuzz-build swaps
# the package's testing import for its shim while it builds (and puts
# the file back); CXX, CXXFLAGS and LIB_FUZZING_ENGINE are OSS-Fuzz's
# (set in its images), with plain clang and -fsanitize=fuzzer elsewhere.
# Every binary links LF_SIGONSTACK with sigaction wrapped (lf_sigonstack).
lf_compile() {
	local dir
	dir=$(go list -f '{{.Dir}}' "$1") || lf_die "$2: go list $1 failed"
	go-118-fuzz-build -include "$LF_INCLUDE" -o "$3.a" -func "$2" "$dir" || lf_die "$2: go-118-fuzz-build failed"
	# shellcheck disable=SC2086 # CXXFLAGS and LIB_FUZZING_ENGINE are flag lists
	${CXX:-clang++} ${CXXFLAGS:-} ${LIB_FUZZING_ENGINE:--fsanitize=fuzzer} "$3.a" \
		"$LF_SIGONSTACK" -Wl,--wrap=sigaction -o "$4/$3" || lf_die "$2: link failed"
	rm -f "$3.a" "$3.h"
	# The wrapper must be what libFuzzer's sigaction calls reach.
	if command -v nm >/dev/null 2>&1; then
		nm "$4/$3" | grep ' T __wrap_sigaction$' >/dev/null || lf_die "$2: sigaction is not wrapped (sigonstack.c)"
	fi
}

# lf_sigonstack SRC: compiles fuzz/oss-fuzz/sigonstack.c (every signal
# handler with SA_ONSTACK, or libFuzzer's run on the Go target's small
# goroutine stacks: see the file) to SRC/.lf_sigonstack.o, LF_SIGONSTACK,
# before lf_prune deletes fuzz/oss-fuzz from the copy.
lf_sigonstack() {
	LF_SIGONSTACK=$1/.lf_sigonstack.o
	${CC:-clang} -O2 -c "$1/fuzz/oss-fuzz/sigonstack.c" -o "$LF_SIGONSTACK" || lf_die "sigonstack.c: compile failed"
}

# lf_build_all SRC OUT: seeds, the pair, then every target as OUT/<target>.
lf_build_all() {
	local src=$1 out=$2 t
	mkdir -p "$out"
	lf_seeds "$src" "$out"
	lf_pair "$src"
	lf_sigonstack "$src"
	lf_prune "$src"
	local log
	log=$(cd "$src" && go get "github.com/AdamKorcz/go-118-fuzz-build/testing@$LF_GO118_VERSION" 2>&1) ||
		{ echo "$log" >&2; lf_die "go get of go-118-fuzz-build's testing shim failed"; }
	echo "$log" | grep -v '^go: downloading' || true
	for t in $LF_TARGETS; do
		if [[ ${SANITIZER:-} = *coverage* ]]; then
			(cd "$src" && OUT=$out compile_native_go_fuzzer "$LF_PKG" "$t" "$t")
		else
			(cd "$src" && lf_compile "$LF_PKG" "$t" "$t" "$out")
		fi
		[ -x "$out/$t" ] || lf_die "$t: no binary at $out/$t"
	done
}
