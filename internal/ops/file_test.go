package ops

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	enc, err := Encode(every)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, content string
		want          Program
	}{
		{"script.ops", every.Script(), every},
		{"fuzz", string(FuzzFile(enc)), every},
		{"fuzzEmpty", string(FuzzFile(nil)), Decode(nil)},
		{"fuzzRaw", "go test fuzz v1\n\n[]byte(`\x01\x03`)\n", Program{Procs: 2, Timers: 4}},
		// As `go test -fuzz` writes it (fmt's %q of a []byte).
		{"fuzzGo", "go test fuzz v1\n[]byte(\"\\x01\\x03\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\")\n", Decode([]byte{1, 3, 0, 0, 0, 0, 0, 0, 0, 0})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(tt.name, tt.content)
			got, err := ReadFile(path)
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ReadFile(%q) = %v, %v, want %v", path, got, err, tt.want)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, content, want string }{
		{"bad.ops", "procs 1\ntimers 1\nfrob()\n", "bad.ops:3: unknown op \"frob()\""},
		{"two", "go test fuzz v1\n[]byte(\"\")\n[]byte(\"\")\n", "two:3: more than one value"},
		{"none", "go test fuzz v1\n", "none:1: no value"},
		{"int", "go test fuzz v1\nint(3)\n", "int:2: want []byte(\"...\"), got \"int(3)\""},
		{"quote", "go test fuzz v1\n[]byte(\"\\q\")\n", "quote:2: want []byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(path)
			if err == nil || !strings.HasPrefix(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadFile(%q) = %v, %v, want error %q", path, got, err, tt.want)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("ReadFile(missing) = %v, want an error naming the file", err)
	}
}

func TestFuzzFile(t *testing.T) {
	got := string(FuzzFile([]byte("\x00a\"\xff")))
	want := "go test fuzz v1\n[]byte(\"\\x00a\\\"\\xff\")\n"
	if got != want {
		t.Errorf("FuzzFile = %q, want %q", got, want)
	}
}

func TestFuzzFileRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 1000 {
		b := randomBytes(r)
		if r.IntN(2) == 0 {
			b = append(b, "é😀\t\\\"`"...)
		}
		got, err := parseFuzzFile("f", FuzzFile(b))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("parseFuzzFile(FuzzFile(%q)) = %q, %v", b, got, err)
		}
	}
}
