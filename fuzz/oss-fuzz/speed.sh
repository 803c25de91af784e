#!/usr/bin/env bash
# The two fuzzing engines side by side, in one run, on this machine:
# native `go test -fuzz` and libFuzzer (go-118-fuzz-build, as build.sh
# makes it), on FuzzDiff, FuzzConcurrent and an empty target, and
# natively on an empty target in FuzzDiff's test binary.
#
#   fuzz/oss-fuzz/speed.sh [-s SECONDS] [-r ROUNDS] [-n RUNS] [-c CAP] [-a] [-i INCLUDE]
#
# libFuzzer is build.sh's build, which instruments the ports and the
# decoder only (LF_INCLUDE in steps.sh); with -a, another libFuzzer build
# that instruments every package (LF_INCLUDE='*', go-118-fuzz-build's
# default, what OSS-Fuzz's compile_native_go_fuzzer builds) runs beside
# it as an engine "lf-all", in both parts; with -i, one that instruments
# INCLUDE (for example 'github.com/timerdiff/timerdiff/*'), as "lf-inc".
#
# 1. Execs/s: ROUNDS rounds (default 3); each runs, one after the other,
#    every target under each engine for SECONDS (default 20), from its
#    seeds with a fresh corpus, on two cores: native with 2 workers
#    (-test.parallel=2), libFuzzer with -jobs=2 -workers=2 (run.sh).
#    Rate = execs / wall time of the run, summed over workers or jobs;
#    per core = half of it. The empty target is a FuzzEmpty that does
#    nothing, in a module of its own (the floor of each engine);
#    FuzzFloor (native only) does nothing too, but in the test binary of
#    package fuzz, FuzzDiff's and FuzzConcurrent's: the native engine
#    snapshots and diffs every coverage counter of the binary after each
#    input, so it is the floor of those two targets (the table also
#    gives each binary's number of counters). The real targets run the
#    pair old vs TIMERDIFF_NEW=c6888d92 (upstream's fix), where both are
#    clean, so that no run stops at a failure.
# 2. Time to first failure: RUNS runs (default 5) per engine of
#    FuzzConcurrent on the real pair (the CL, 2fb5ef88), alternating
#    engines, each from the seeds with a fresh corpus, up to CAP seconds
#    (default 300): the wall time until the native target fails or
#    libFuzzer writes its first crash file, and what was found.
#
# Prints one line per run as it goes, then the table (medians); needs
# what build.sh needs. Takes about ROUNDS*7*SECONDS (3*ROUNDS*SECONDS more
# for each of -a and -i) plus the failures.
# Writes nothing into the repository.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=steps.sh
source "$repo/fuzz/oss-fuzz/steps.sh"

secs=20 rounds=3 runs=5 cap=300 all= inc=
while getopts s:r:n:c:ai: o; do
	case $o in
	s) secs=$OPTARG ;;
	r) rounds=$OPTARG ;;
	n) runs=$OPTARG ;;
	c) cap=$OPTARG ;;
	a) all=1 ;;
	i) inc=$OPTARG ;;
	*) echo "usage: speed.sh [-s SECONDS] [-r ROUNDS] [-n RUNS] [-c CAP] [-a] [-i INCLUDE]" >&2; exit 2 ;;
	esac
done

work=$(mktemp -d)
bg=
cleanup() {
	if [ -n "$bg" ]; then kill -- "-$bg" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }

echo "speed.sh: $(nproc) cores; $(uptime | sed 's/.*load/load/')"

# --- Builds ---------------------------------------------------------------
# Native: the test binaries go test -fuzz builds (-c keeps them, with the
# same coverage instrumentation), so that no run pays for a build.
echo "building..."
(cd "$repo" && go test -c -fuzz=FuzzDiff -o "$work/native/fuzz.test" ./fuzz)
mkdir -p "$work/empty"
cat >"$work/empty/go.mod" <<EOF
module example.com/empty

go $(cd "$repo" && go list -m -f '{{.GoVersion}}')
EOF
cat >"$work/empty/empty_test.go" <<'EOF'
package empty

import "testing"

func FuzzEmpty(f *testing.F) {
	f.Add([]byte("0"))
	f.Fuzz(func(t *testing.T, data []byte) {})
}
EOF
(cd "$work/empty" && go test -c -fuzz=FuzzEmpty -o "$work/native/empty.test" .)

# libFuzzer: the targets by build.sh, the empty one the same way
# (lf_compile; instrumenting its own module only, or everything). Each
# engine's binaries in $work/<engine>.
engines="native libfuzzer"
[ -z "$inc" ] || engines="$engines lf-inc"
[ -z "$all" ] || engines="$engines lf-all"
GOBIN=$work/bin go install "github.com/AdamKorcz/go-118-fuzz-build@$LF_GO118_VERSION"
(cd "$work/empty" && go get "github.com/AdamKorcz/go-118-fuzz-build/testing@$LF_GO118_VERSION" 2>/dev/null)
for e in $engines; do
	[ "$e" != native ] || continue
	include=$LF_INCLUDE emptyinclude=example.com/empty
	[ "$e" != lf-inc ] || include=$inc
	[ "$e" != lf-all ] || include='*' emptyinclude='*'
	LF_INCLUDE=$include bash "$repo/fuzz/oss-fuzz/build.sh" "$work/$e" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
	(cd "$work/empty" && PATH=$work/bin:$PATH LF_INCLUDE=$emptyinclude lf_compile example.com/empty FuzzEmpty FuzzEmpty "$work/$e")
	mkdir -p "$work/$e/FuzzEmpty_seed_corpus"
done

# The native binaries run in a tree of their own: the fuzz package reads
# ../corpus, and the engine writes crashers under testdata/fuzz.
mkdir -p "$work/tree/fuzz"
cp -r "$repo/corpus" "$work/tree/corpus"

# native BIN TARGET SECONDS OUTFILE: fuzzes from the seeds with a fresh
# cache; prints "execs wall".
native() {
	local bin=$1 t=$2 s=$3 log=$4 t0 t1
	rm -rf "$work/tree/fuzz/testdata" "$work/cache"
	t0=$(now)
	(cd "$work/tree/fuzz" && "$bin" -test.run='^$' -test.fuzz="^$t\$" -test.fuzztime="${s}s" \
		-test.parallel=2 -test.fuzzminimizetime=200x -test.fuzzcachedir="$work/cache" >"$log" 2>&1) || true
	t1=$(now)
	local execs
	execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
	echo "$execs $(echo "$t1 - $t0" | bc)"
}

# libfuzzer ENGINE TARGET SECONDS OUTFILE: run.sh on a fresh OUT holding
# the engine's binary and its seeds; prints "execs wall" (runs summed
# over the jobs).
libfuzzer() {
	local e=$1 t=$2 s=$3 log=$4 out=$work/lfrun t0 t1
	rm -rf "$out" && mkdir -p "$out"
	ln -s "$work/$e/$t" "$out/$t"
	ln -s "$work/$e/${t}_seed_corpus" "$out/${t}_seed_corpus"
	t0=$(now)
	bash "$repo/fuzz/oss-fuzz/run.sh" "$t" "$s" "$out" >"$log" 2>&1 || true
	t1=$(now)
	local execs
	execs=$(grep -oE 'Done [0-9]+ runs' "$log" | awk '{n += $2} END {print n + 0}')
	echo "$execs $(echo "$t1 - $t0" | bc)"
}

# --- 1. Execs/s -------------------------------------------------------------
export TIMERDIFF_NEW=c6888d92
: >"$work/rates"
for r in $(seq "$rounds"); do
	for t in FuzzEmpty FuzzFloor FuzzDiff FuzzConcurrent; do
		bin=$work/native/fuzz.test
		[ "$t" = FuzzEmpty ] && bin=$work/native/empty.test
		for e in $engines; do
			[ "$t" != FuzzFloor ] || [ "$e" = native ] || continue
			if [ "$e" = native ]; then
				read -r execs wall < <(native "$bin" "$t" "$secs" "$work/log")
			else
				read -r execs wall < <(libfuzzer "$e" "$t" "$secs" "$work/log")
			fi
			rate=$(echo "$execs / $wall" | bc)
			echo "$t $e $rate" >>"$work/rates"
			printf 'round %d  %-15s %-9s %9d execs in %5.1f s: %7d execs/s\n' "$r" "$t" "$e" "$execs" "$wall" "$rate"
		done
	done
done
unset TIMERDIFF_NEW

# --- 2. Time to first failure -------------------------------------------------
# problem LOG...: the cause of the first problem a FuzzConcurrent failure
# text names (the first cause line after "the new version alone, by
# cause:", past the undecided note if any, which is then added; the
# cause up to its source position, e.g. "timer on idle P at modtimer ->
# doaddtimer"), or "".
problem() {
	awk '
		/the new version alone/ { on = 1; next }
		on && /^[[:space:]]*\(undecided/ { und = " (undecided)"; next }
		on {
			sub(/^[[:space:]]*/, ""); sub(/:$/, ""); sub(/ \(.*/, ""); sub(/: .*/, "")
			print $0 und; exit
		}' "$@" || true
}
: >"$work/ttf"
for i in $(seq "$runs"); do
	for e in $engines; do
		rm -rf "$work/tree/fuzz/testdata" "$work/cache" "$work/lfttf"
		mkdir -p "$work/lfttf/corpus" "$work/lfttf/crashes" "$work/lfttf/logs"
		t0=$(now)
		if [ "$e" = native ]; then
			(cd "$work/tree/fuzz" && exec setsid "$work/native/fuzz.test" -test.run='^$' -test.fuzz='^FuzzConcurrent$' \
				-test.fuzztime="${cap}s" -test.parallel=2 -test.fuzzminimizetime=200x \
				-test.fuzzcachedir="$work/cache" >"$work/ttf.log" 2>&1) &
			bg=$!
			wait "$bg" || true
			bg=
			found=$(problem "$work/ttf.log")
			! grep -q -- '--- FAIL' "$work/ttf.log" || found=${found:-failure}
		else
			(cd "$work/lfttf/logs" && exec setsid "$work/$e/FuzzConcurrent" -jobs=2 -workers=2 -max_total_time="$cap" \
				-timeout=25 -artifact_prefix="$work/lfttf/crashes/" "$work/lfttf/corpus" \
				"$work/$e/FuzzConcurrent_seed_corpus" >parent.log 2>&1) &
			bg=$!
			while kill -0 "$bg" 2>/dev/null && [ -z "$(ls -A "$work/lfttf/crashes")" ]; do sleep 0.2; done
			kill -- "-$bg" 2>/dev/null || true
			wait "$bg" 2>/dev/null || true
			bg=
			found=
			if [ -n "$(ls -A "$work/lfttf/crashes")" ]; then
				# The cause, else the kind of file libFuzzer wrote
				# (crash, timeout: an input ran over -timeout, oom...).
				found=$(problem "$work"/lfttf/logs/*.log)
				found=${found:-$(ls "$work/lfttf/crashes" | head -1 | cut -d- -f1) (no failure text)}
			fi
		fi
		t1=$(now)
		wall=$(echo "$t1 - $t0" | bc)
		echo "$e $wall ${found:-none}" >>"$work/ttf"
		printf 'failure run %d  FuzzConcurrent %-9s %6.1f s: %s\n' "$i" "$e" "$wall" "${found:-nothing within ${cap} s}"
	done
done

# --- Table ----------------------------------------------------------------------
median() { sort -n | awk '{a[NR] = $1} END {if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
rate() { awk -v t="$1" -v e="$2" '$1 == t && $2 == e {print $3}' "$work/rates" | median; }
# counters BIN: the number of coverage counters in a native test binary,
# what the engine snapshots and diffs per input: internal/fuzz's
# coverage() is the bytes from _counters to _ecounters, which the linker
# puts around its .go.fuzzcntrs section.
counters() {
	local s e
	read -r s e < <(go tool nm "$1" | awk '$3 == "internal/fuzz._counters" {s = $1} $3 == "internal/fuzz._ecounters" {e = $1} END {print s, e}')
	echo $((16#$e - 16#$s))
}
echo
echo "median of $rounds rounds of ${secs} s, 2 cores; failures: $runs runs per engine, cap ${cap} s; $(uptime | sed 's/.*load/load/')"
if [ "$rounds" -gt 0 ]; then
	echo
	# One column per engine, then each libFuzzer build's ratio to native.
	head="| target |" rule="|---|"
	for e in $engines; do head="$head $e execs/s (per core) |" rule="$rule---|"; done
	for e in $engines; do [ "$e" = native ] || head="$head $e / native |" rule="$rule---|"; done
	echo "$head"
	echo "$rule"
	for t in FuzzEmpty FuzzFloor FuzzDiff FuzzConcurrent; do
		n=$(rate "$t" native) line="| $t |"
		[ "$t" != FuzzFloor ] || line="| FuzzFloor: empty in FuzzDiff's binary |"
		for e in $engines; do
			if [ "$t" = FuzzFloor ] && [ "$e" != native ]; then line="$line - |"; continue; fi
			l=$(rate "$t" "$e") line="$line $l ($((l / 2))) |"
		done
		for e in $engines; do
			[ "$e" != native ] || continue
			if [ "$t" = FuzzFloor ]; then line="$line - |"; continue; fi
			line="$line $(echo "scale=2; $(rate "$t" "$e") / ($n + 0.001)" | bc) |"
		done
		echo "$line"
	done
	for t in FuzzDiff FuzzConcurrent; do
		line="$t, % of the empty target's rate:"
		for e in $engines; do line="$line $e $(echo "scale=1; 100 * $(rate "$t" "$e") / ($(rate FuzzEmpty "$e") + 0.001)" | bc)%"; done
		echo "$line; native, % of FuzzFloor's: $(echo "scale=1; 100 * $(rate "$t" native) / ($(rate FuzzFloor native) + 0.001)" | bc)%"
	done
	echo "FuzzFloor, % of the empty target's rate: native $(echo "scale=1; 100 * $(rate FuzzFloor native) / ($(rate FuzzEmpty native) + 0.001)" | bc)%"
fi
echo "coverage counters per native binary: empty.test (FuzzEmpty) $(counters "$work/native/empty.test"), fuzz.test (FuzzFloor, FuzzDiff, FuzzConcurrent) $(counters "$work/native/fuzz.test")"
for e in $engines; do
	[ "$runs" -gt 0 ] || break
	ts=$(awk -v e="$e" '$1 == e {printf "%.1f ", $2}' "$work/ttf")
	m=$(awk -v e="$e" '$1 == e {print $2}' "$work/ttf" | median)
	what=$(awk -v e="$e" '$1 == e {$1 = ""; $2 = ""; print}' "$work/ttf" | sort | uniq -c | sed 's/^ *//; s/  */ /g' | paste -sd, -)
	printf 'FuzzConcurrent time to first failure, %s: median %.1f s (%s s; found:%s)\n' "$e" "$m" "${ts% }" "$what"
done
