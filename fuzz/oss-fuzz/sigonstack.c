// sigonstack.c is linked into every libFuzzer binary of timerdiff with
// -Wl,--wrap=sigaction (fuzz/oss-fuzz/steps.sh, lf_compile): every signal
// handler that is installed gets SA_ONSTACK.
//
// Why: libFuzzer before LLVM 22 (llvm-project pull request 147422)
// installs its handlers (SIGALRM for -timeout, SIGINT, SIGTERM, ...)
// without SA_ONSTACK. A signal that arrives while the main thread runs
// the Go target then pushes its frame, a few KB with the AVX-512 state,
// onto the goroutine's stack, which may have less than 1 KB free below
// its guard: it writes over whatever lies below, and the process dies
// later of the corruption (golang/go#49075). It made CI's FuzzDiff
// crash once on an input that replays clean (README, "The fuzzing
// engines"). With SA_ONSTACK the kernel runs the handler on the
// thread's alternate signal stack, which the Go runtime sets up on
// every thread it runs on.
//
// OSS-Fuzz links gosigfuzz.o for the same reason, but it sets the flag
// from LLVMFuzzerInitialize, which libFuzzer 19 calls before it
// installs its handlers, so it does not help there; wrapping sigaction
// catches every handler whenever it is installed. A handler that
// already has the flag (the Go runtime's) and SIG_DFL or SIG_IGN pass
// through unchanged.
#include <signal.h>
#include <stddef.h>

int __real_sigaction(int sig, const struct sigaction *act, struct sigaction *old);

int __wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
	if (act == NULL || (act->sa_flags & SA_ONSTACK) != 0)
		return __real_sigaction(sig, act, old);
	if ((act->sa_flags & SA_SIGINFO) == 0 && (act->sa_handler == SIG_DFL || act->sa_handler == SIG_IGN))
		return __real_sigaction(sig, act, old);
	struct sigaction onstack = *act;
	onstack.sa_flags |= SA_ONSTACK;
	return __real_sigaction(sig, &onstack, old);
}
