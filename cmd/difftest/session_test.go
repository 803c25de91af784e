package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/timerdiff/timerdiff/internal/mutants"
)

// TestSessionFiles checks that the README session's overlay files under
// testdata/session are what the catalog makes of newimpl/time.go today
// (go test -update, or go generate, rewrites them).
func TestSessionFiles(t *testing.T) {
	root := filepath.Join("..", "..")
	src, err := mutants.Subject(root)
	if err != nil {
		t.Fatal(err)
	}
	files, err := sessionFiles(src)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		p := filepath.Join(root, sessionDir, name)
		if *update {
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (go generate ./cmd/difftest writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: go generate ./cmd/difftest rewrites it from the catalog", p)
		}
	}
}
