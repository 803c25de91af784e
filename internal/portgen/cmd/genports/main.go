// Command genports writes the port packages from upstream's time.go files
// and the glue templates (see package portgen):
//
//	go run ./internal/portgen/cmd/genports        # every port: oldimpl, newimpl, internal/series/*
//	go run ./internal/portgen/cmd/genports DIR... # the ports in these directories
//
// Each port's name.go runs it on its own directory, so `go generate ./...`
// regenerates every port that exists; the command without arguments also
// creates missing ones. It writes only files whose content changes and
// names each on standard error.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/timerdiff/timerdiff/internal/portgen"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: genports [dir...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(flag.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "genports: %v\n", err)
		os.Exit(1)
	}
}

func run(dirs []string) error {
	root, err := portgen.ModuleRoot(".")
	if err != nil {
		return err
	}
	targets := portgen.Targets
	if len(dirs) > 0 {
		targets = nil
		for _, d := range dirs {
			abs, err := filepath.Abs(d)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, abs)
			if err != nil {
				return err
			}
			t, err := portgen.FindTarget(filepath.ToSlash(rel))
			if err != nil {
				return err
			}
			targets = append(targets, t)
		}
	}
	for _, t := range targets {
		files, err := portgen.Generate(root, t)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := write(root, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// write puts f under root unless it is there already.
func write(root string, f portgen.File) error {
	path := filepath.Join(root, filepath.FromSlash(f.Path))
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, f.Data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	if err := os.WriteFile(path, f.Data, 0o666); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "genports: wrote %s\n", f.Path)
	return nil
}
