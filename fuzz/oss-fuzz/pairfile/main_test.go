package main

import (
	"go/format"
	"strings"
	"testing"
)

func TestSource(t *testing.T) {
	for _, tc := range []struct {
		old, nw string
		want    string // the init line, or the error's text
		err     bool
	}{
		{nw: "c6888d92", want: `builtOld, builtNew = "", "c6888d92"`},
		{old: "B5A99EAA94", nw: "c6888d9", want: `builtOld, builtNew = "b5a99eaa", "c6888d92"`},
		{nw: "c6888d9x", want: "-new c6888d9x", err: true},
		{old: "0000000", want: "-old 0000000", err: true},
	} {
		src, err := source(tc.old, tc.nw)
		if tc.err {
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("source(%q, %q): err = %v, want one naming %q", tc.old, tc.nw, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("source(%q, %q): %v", tc.old, tc.nw, err)
		}
		if !strings.Contains(src, tc.want) {
			t.Errorf("source(%q, %q) = %s\nwant it to contain %s", tc.old, tc.nw, src, tc.want)
		}
		if f, err := format.Source([]byte(src)); err != nil || string(f) != src {
			t.Errorf("source(%q, %q) is not gofmt'd Go (%v):\n%s", tc.old, tc.nw, err, src)
		}
	}
}
