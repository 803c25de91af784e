package fuzz

import "testing"

// The pair comes from each variable, else from the build, else it is the
// pair under test; the re-run prefix and flags name every version that is
// not the default, however it was chosen.
func TestChoosePair(t *testing.T) {
	for _, tc := range []struct {
		name               string
		env                map[string]string
		builtOld, builtNew string
		old, nw            string // Impl names
		prefix, flags      string
		err                bool
	}{
		{name: "default", old: "old", nw: "new"},
		{name: "variable", env: map[string]string{NewEnv: "c6888d92"}, old: "old", nw: "c6888d92",
			prefix: "TIMERDIFF_NEW=c6888d92 ", flags: " -new c6888d92"},
		{name: "built", builtNew: "c6888d92", old: "old", nw: "c6888d92",
			prefix: "TIMERDIFF_NEW=c6888d92 ", flags: " -new c6888d92"},
		{name: "variable over build", env: map[string]string{NewEnv: "58911599"}, builtNew: "c6888d92",
			old: "old", nw: "58911599", prefix: "TIMERDIFF_NEW=58911599 ", flags: " -new 58911599"},
		{name: "both built", builtOld: "2fb5ef88", builtNew: "c6888d92", old: "new", nw: "c6888d92",
			prefix: "TIMERDIFF_OLD=2fb5ef88 TIMERDIFF_NEW=c6888d92 ", flags: " -old 2fb5ef88 -new c6888d92"},
		{name: "bad build", builtNew: "c6888d9x", err: true},
		{name: "bad variable", env: map[string]string{OldEnv: "zz"}, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, nw, prefix, flags, err := choosePair(func(k string) string { return tc.env[k] }, tc.builtOld, tc.builtNew)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error: %v", err, tc.err)
			}
			if tc.err {
				return
			}
			if old.Name() != tc.old || nw.Name() != tc.nw || prefix != tc.prefix || flags != tc.flags {
				t.Errorf("got %s vs %s, prefix %q, flags %q; want %s vs %s, %q, %q",
					old.Name(), nw.Name(), prefix, flags, tc.old, tc.nw, tc.prefix, tc.flags)
			}
		})
	}
}
