#!/bin/bash -eu
# ClusterFuzzLite (and OSS-Fuzz) build of timerdiff's fuzz targets: runs in
# the base-builder-go image, in the container's copy of the repository,
# which the steps may change. The steps are fuzz/oss-fuzz/steps.sh, the
# same that fuzz/oss-fuzz/build.sh runs on one machine: seed corpora
# ($OUT/<target>_seed_corpus.zip from corpus/), then go-118-fuzz-build
# (the image's) and $CXX $CXXFLAGS $LIB_FUZZING_ENGINE for each target
# ($OUT/FuzzDiff, $OUT/FuzzConcurrent): compile_native_go_fuzzer's
# non-coverage path, with only timerdiff's packages instrumented.
#
# The binaries fuzz upstream's fix (b5a99eaa vs c6888d92), where the tool
# must stay silent: a crash there is a false alarm of the model or a bug
# of the harness, which is what PR and batch fuzzing guard against. The
# CL's own pair (the default elsewhere) loses timers by design (README,
# "What it finds") and would fail every run for that known reason.
export LF_NEW=c6888d92
source "$SRC/timerdiff/fuzz/oss-fuzz/steps.sh"
lf_build_all "$SRC/timerdiff" "$OUT"
