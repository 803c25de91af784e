// Difftest runs, replays and minimizes differential tests of the Go
// runtime's timer code: it runs programs of timer operations on the old
// version (the parent of Go commit 2fb5ef889bf8) and the new one ("runtime:
// use timer.lock in modtimer"), both on a simulated runtime, and compares
// what they observably do.
//
// Usage:
//
//	difftest run [-time 60s | -count N] [-seed S] [-corpus DIR] [-conc SHARE]
//	difftest replay [-pct SEED] [-depth 2] [-both] [-html FILE] FILE|DIR...
//	difftest minimize [-o OUT] FILE
//	difftest corpus check FILE|DIR...
//	difftest corpus add [-dir DIR] FILE|DIR...
//	difftest corpus convert FILE
//	difftest corpus stats FILE|DIR...
//	difftest explore [-bound 2] [-max N] [-break-contract] FILE|DIR...
//	difftest mutants [-seed S] [-time D] [-short] [-single] [-race] [-o FILE]
//	difftest bench [-trials N] [-budget B] [-bound K] [-cases a,b] [-strategies s,t] [-md]
//	difftest series [-bound 1] [-time D] [-seed S] [-json] [-corpus DIR]
//	difftest help [CMD]
//
// Every command also takes -old C and -new C (below); difftest help CMD
// prints CMD's usage, like difftest CMD -h.
//
// A program is read from a script (.ops, see package internal/ops), from
// a go test fuzz v1 file, such as the ones go test -fuzz writes under
// fuzz/testdata/fuzz/FuzzDiff/, or, when a FILE is named (not under a
// DIR), from a raw libFuzzer input such as the crash-* files that the
// libFuzzer builds of fuzz/oss-fuzz write (see internal/corpus). A fuzz
// file is a FuzzConcurrent input if its folder is named FuzzConcurrent or
// its name contains that. A DIR argument means every script and fuzz v1
// file under it, in sorted order (internal/corpus.Read: its concurrent,
// findings and contract folders are left out).
//
// Run is a fuzzing campaign independent of go test (internal/campaign).
// Programs come from a PCG generator seeded with -seed: random fuzz
// bytes, and byte flips, record inserts, deletes, duplicates and splices of the fuzz bytes of
// the corpus's programs (-corpus, "corpus" by default), decoded with
// ops.Decode. A program that shows a new behaviour joins the in-memory
// corpus. Two workers run whole programs, old then new, and the results
// are merged in program order, so a given -seed, -count and corpus always
// give the same programs and the same summary. A progress line goes to
// stderr every 2s; the summary goes to stdout: the programs and ops run,
// the divergences, the corpus size and the modtimer branch coverage. Run
// stops at the first divergence, minimizes it and prints the failure
// report with the command line that reproduces it.
//
// The modtimer branch coverage counts the calls that reach modtimer
// (startTimer, resetTimer, modTimer, modtimer, sleep) by the status of the
// target timer before the call: removed, waiting, modified (nextwhen !=
// 0) or stopped (modified, nextwhen == 0), and for all but removed by
// whether the new when is earlier than the old one; and the calls of
// deltimer (stopTimer) by the same statuses: 11 branches in all.
//
// Replay prints, for each program, both traces side by side: per op the
// call, the old and the new result, then the timer functions fired, the
// wakeNetPoller calls and each change of state (once if both versions
// agree, prefixed by old: and new: if not), with the first divergent op
// marked '!'; then the comparison report, with the lock-order defects of
// the old version alone (known:) and the invariant violations both share
// (shared:).
//
// Replay of a concurrent FILE (a script with thread blocks, or a go test
// fuzz v1 file under a FuzzConcurrent folder) runs the setup and the
// threads on both versions under one schedule: the script's schedule line
// (sched.Replay), the fuzz file's schedule bytes (sched.Bytes), or PCT
// (-pct SEED, default 0, at -depth, default 2) when it has neither or
// -pct is given. It prints the setup ops and each M's calls with the old
// and the new result side by side ('*' where they differ, which under one
// schedule is no divergence by itself), the schedule each version ran,
// the verdict of check.ConcPair (the new version's problems, what both
// versions show, the old version's known lock-order defects) and the new
// version's timeline (package timeline; the old one's too with -both).
// -html FILE writes both timelines as one page, never overwriting a file.
// Exit status 1 if the new version shows a problem. -pct, -depth, -both
// and -html are usage errors with a sequential file.
//
// Minimize shrinks a divergent program to a 1-minimal one with the same
// kind of divergence at an op of the same kind (see internal/minimize),
// and writes it as OUT.ops (a script annotated with the old version's
// results) and OUT (a fuzz v1 file), never overwriting a file. A
// concurrent case (a script with a schedule line, or a FuzzConcurrent
// crasher, whose schedule bytes are replayed and recorded as a schedule
// line) is shrunk to one showing a problem of the same kind (hang, throw
// message, heap invariant, lock order, lost timer) when both versions
// replay its schedule line: fewer threads, setup ops, thread calls and
// schedule switches (minimize.Conc), keeping the API contract;
// it is written as OUT.ops only, with its schedule line.
//
// Corpus check reports every file named, or under a DIR named, that is
// not a valid program, with its line. Corpus add copies each program into
// the -dir DIR under the name
// <first 16 hex digits of the sha256 of its fuzz bytes>.ops: as is if the
// versions agree on it (a regression seed), minimized if they diverge (a
// finding). Corpus convert prints a script as a fuzz v1 file, or a fuzz
// file (fuzz v1 or raw) as a script; a FuzzConcurrent one with the
// schedule line of the new version's run under its schedule bytes. Corpus
// stats counts the op kinds of the sequential programs and the modtimer
// branches they reach.
//
// Explore runs a concurrent program (a script with thread blocks, see
// ops.ConcProgram) under every schedule up to -bound preemptions on both
// versions, and compares the sets of outcomes they reach: an outcome only
// the new version reaches is a divergence, printed with the schedule that
// reaches it (a schedule line the script accepts); one only the old
// version reaches is listed as a lost behaviour. Hangs, throws, lock-order
// problems, heap violations and lost timers of the new version are
// failures too. With -break-contract it also runs scripts that break the
// API contract (ops.ConcProgram.ValidateShape: two threads on one timer,
// stop or reset timer functions; see corpus/contract/): what it finds
// there is no finding about the commit, and every line it prints starts
// with "CONTRACT BROKEN: ".
//
// Mutants builds the mutants of newimpl/time.go (package internal/mutants:
// a catalog of plausible mistakes for this CL, and operator mutants of
// modtimer and deltimer, each applied with go build -overlay), replays the
// corpus on them, times a campaign from an empty corpus, and prints the
// mutation table in markdown.
//
// Bench (package internal/bench, docs/bench.md) builds a worker with real
// Go timer bugs put back into 2fb5ef88's time.go (go build -overlay) and
// runs each case, and its fixed counterpart, under every schedule
// strategy, printing per case, version and strategy the trials that found
// the symptom and the median schedules and time to the first detection.
// Each case names its own versions: bench ignores -old and -new.
//
// Series (package internal/seriesdiff, docs/series.md) runs every adjacent
// pair of the timer-lock series and the span b5a99eaa -> c6888d92: the
// sequential corpus, the concurrent corpus and findings explored at
// -bound, the lock orders both versions take, and with -time a campaign
// per pair; it prints one table (-json: JSON) and each non-empty cell's
// first case with the command that replays it. It ignores -old and -new.
//
// Every command takes -old C and -new C, the pair under test: any two
// commits of the timer-lock series by hash prefix (internal/versions;
// default b5a99eaa and 2fb5ef88); a pair other than the default is named
// on stderr.
//
// Exit status: 0 if all is well; 1 if a divergence, a problem of the new
// version or a bad corpus file was found; 2 for a bad command line or an
// input file that cannot be read, reported in one line (with the file's
// line number when its content is at fault); 3 for an internal error (an
// I/O failure or a bug of the tester).
//
// Examples:
//
//	go run ./cmd/difftest run -time 5m
//	go run ./cmd/difftest replay corpus/sleep.ops
//	go run ./cmd/difftest replay -pct 3 -html t.html corpus/concurrent/sleep_vs_steal.ops
//	go run ./cmd/difftest minimize fuzz/testdata/fuzz/FuzzConcurrent/<file>
//	go run ./cmd/difftest minimize fuzz/testdata/fuzz/FuzzDiff/582528ddfad69eb5
//	go run ./cmd/difftest corpus add -dir corpus crash.min.ops
//	go run ./cmd/difftest explore corpus/concurrent/modtimer_removed_vs_steal.ops
//	go run ./cmd/difftest explore -break-contract corpus/contract/deltimer_in_removed_window.ops
//	go run ./cmd/difftest mutants -time 30s
//	go run ./cmd/difftest series -time 3m
package main
