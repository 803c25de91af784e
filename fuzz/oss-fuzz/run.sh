#!/usr/bin/env bash
# Runs one libFuzzer binary that build.sh made, from its seed corpus, on
# both cores, for a while:
#
#   fuzz/oss-fuzz/run.sh TARGET SECONDS [OUT] [libFuzzer flags...]
#
# TARGET is FuzzDiff or FuzzConcurrent; OUT defaults to out/libfuzzer.
# libFuzzer runs with -jobs=2 -workers=2 (two processes, each fuzzing for
# SECONDS), adds new inputs to OUT/corpus/TARGET (kept between runs; the
# seeds in OUT/TARGET_seed_corpus are read, never written) and writes a
# crashing input to OUT/crashes/TARGET/crash-<sha1> (the folder name tells
# difftest it is a TARGET input: go run ./cmd/difftest replay FILE).
# The jobs' logs are OUT/logs/TARGET/fuzz-<job>.log.
#
# Prints one line per job (runs, exec/s) and the crash files, if any.
# Exit status: 0 no crash, 1 a crash (or leak, timeout, oom), 2 no binary.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=${1:?usage: run.sh TARGET SECONDS [OUT] [flags...]}
secs=${2:?usage: run.sh TARGET SECONDS [OUT] [flags...]}
out=${3:-$repo/out/libfuzzer}
shift $(($# < 3 ? $# : 3))
out=$(cd "$out" && pwd)
bin=$out/$target
[ -x "$bin" ] || { echo "run.sh: no $bin: run fuzz/oss-fuzz/build.sh first" >&2; exit 2; }

corpus=$out/corpus/$target crashes=$out/crashes/$target logs=$out/logs/$target
mkdir -p "$corpus" "$crashes"
rm -rf "$logs" && mkdir -p "$logs"
before=$(find "$crashes" -type f | sort)

# libFuzzer's exit status with -jobs says little; the crash files say it.
# -timeout=25, ClusterFuzzLite's default: one input running 25 s is a
# hang (saved as timeout-*; the simulation's own hang detection should
# find hangs long before). An input whose new version shows a problem
# can take 7 s of the judge's search of the old version at load 1 and
# went over 10 s on a loaded machine. And
# libFuzzer checks -max_total_time only between inputs, so the whole run
# is also cut off a minute after SECONDS.
(cd "$logs" && timeout --kill-after=10 $((secs + 60)) "$bin" -jobs=2 -workers=2 -max_total_time="$secs" \
	-timeout=25 -artifact_prefix="$crashes/" "$@" "$corpus" "$out/${target}_seed_corpus" >parent.log 2>&1) || true

for log in "$logs"/fuzz-*.log; do
	[ -e "$log" ] || continue
	# "Done N runs in S second(s)", or the last status line before a crash.
	done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -1 || true)
	[ -n "$done_line" ] || done_line=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
	echo "$target $(basename "$log" .log): ${done_line:-no status line (see $log)}"
done
# Why a job stopped early: what it printed after its last status line
# (the target's report, the Go panic) up to libFuzzer's SUMMARY line, at
# most 80 lines. The crash file alone does not say, and a crash that does
# not replay needs its report.
for log in "$logs"/fuzz-*.log; do
	[ -e "$log" ] || continue
	grep -q -E '^(panic: |fatal error: |==[0-9]+== ?ERROR: libFuzzer)' "$log" || continue
	echo "$target $(basename "$log" .log) stopped:"
	awk '/^#[0-9]+[ \t]/ && !err { from = NR + 1 }
		/^(panic: |fatal error: |==[0-9]+== ?ERROR: libFuzzer)/ { err = 1 }
		{ line[NR] = $0 }
		/^SUMMARY: libFuzzer/ && err { to = NR; exit }
		END { if (!to) to = NR; for (i = from ? from : 1; i <= to; i++) print line[i] }' "$log" |
		head -80 | sed 's/^/    /'
done
new=$(comm -13 <(echo "$before") <(find "$crashes" -type f | sort) | grep . || true)
if [ -n "$new" ]; then
	echo "$target: crash files:"
	echo "$new" | sed 's/^/  /'
	exit 1
fi
echo "$target: no crash in ${secs}s"
