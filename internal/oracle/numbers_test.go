package oracle

import (
	"regexp"
	"testing"
)

var digitsRE = regexp.MustCompile(`-?[0-9]+`)

// numbers is the regexp replacement it stands for.
func TestNumbersAsRegexp(t *testing.T) {
	cases := []string{
		"", "x", "0", "-", "--", "-1", "--1", "a-", "a-b", "1-2", "1--2", "-1-2-", "-x-1",
		"P0 numTimers=2 but the heap holds 0",
		"t1 (timerWaiting, when=-105 <= now=110) never fired",
		"t12@-3 t3@9223372036854775807 P-1 -P0-",
		"heap: P1 timers[3].when=40 < timers[1].when=-7; timer0When=0",
	}
	// Every string of up to 4 characters over an alphabet that has the
	// cases of the regexp.
	alpha := []byte("-1a")
	var gen func(prefix []byte, n int)
	gen = func(prefix []byte, n int) {
		cases = append(cases, string(prefix))
		if n == 0 {
			return
		}
		for _, c := range alpha {
			gen(append(prefix, c), n-1)
		}
	}
	gen(nil, 4)
	for _, s := range cases {
		if got, want := numbers(s), digitsRE.ReplaceAllString(s, "N"); got != want {
			t.Errorf("numbers(%q) = %q, the regexp gives %q", s, got, want)
		}
	}
}
