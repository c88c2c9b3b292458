//go:build ignore

// gen writes docs/rules and the rule table of README.md from the rule
// values: go generate ./internal/docgen (or make docs). Pages of rules that
// no longer exist are removed.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/docgen"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run gen.go DIR README")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	pages := docgen.Pages()
	old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, p := range old {
		if _, ok := pages[filepath.Base(p)]; !ok {
			if data, err := os.ReadFile(p); err == nil && strings.HasPrefix(string(data), docgen.Header) {
				if err := os.Remove(p); err != nil {
					fail(err)
				}
			}
		}
	}
	for name, content := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			fail(err)
		}
	}
	writeREADME(os.Args[2])
}

func writeREADME(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	out, err := docgen.README(string(data))
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
