package cli

import (
	"go/build"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const modulePath = "github.com/k8slint/k8slint/"

// layer is each package's place in the one direction imports may go:
// cmd → cli → engine → rules → models → workspace → load → yamlx, diag.
// A package imports only packages of lower layers (it may skip layers);
// packages of one layer that sit beside each other may not import each
// other unless allowed below. Test helpers and generators (ruletest,
// testfs, docgen, gencorpus, apischema/kubeapi) may import anything and
// nothing but tests and generators imports them.
var layer = map[string]int{
	"cmd/k8slint":     90,
	"internal/cli":    80,
	"internal/engine": 70,
	"rules":           60,
	// models: shared computations that rules read
	"internal/sched":       50,
	"internal/cmdline":     45, // what a container runs: the servers model reads it
	"internal/placeholder": 45, // the one placeholder rule of the manifest models
	"internal/servers":     50,
	"internal/apischema":   50,
	"internal/apivalid":    50,
	"internal/crdschema":   55, // custom resources: reads apischema's placeholders
	"internal/refs":        50,
	"internal/apiversions": 50,
	"internal/workspace":   40,
	// beside load: loaders, discovery, configuration, rendering
	"internal/load":      30,
	"internal/discovery": 30,
	"internal/config":    30,
	"internal/render":    30,
	"internal/cache":     30, // the findings cache: the engine's, beside the loaders
	"internal/settings":  20,
	"internal/yamlx":     10,
	// beside diag: the values that flow out, and the reporters
	"internal/diag": 0,
	// the collector's setting while packages initialise (imports only the standard library)
	"internal/startgc": 0,
	"internal/report":  5,
}

// beside lists the same-layer or upward imports that are allowed.
var beside = map[[2]string]bool{}

// parsers may not be imported by package rules.
var parsers = map[string]bool{
	"go.yaml.in/yaml/v3": true, "go.yaml.in/yaml/v2": true, "gopkg.in/yaml.v3": true, "sigs.k8s.io/yaml": true,
	"github.com/goccy/go-yaml": true, "github.com/moby/buildkit/frontend/dockerfile/parser": true, "encoding/json": true,
	"mvdan.cc/sh/v3/syntax": true,
}

var tools = map[string]bool{
	"internal/ruletest": true, "internal/testfs": true, "internal/docgen": true,
	"internal/gencorpus": true, "internal/gencorpus/cmd/gencorpus": true, "internal/testsummary": true,
	"internal/apiversions/gentable": true, "internal/apischema/kubeapi": true,
}

// TestLayers fails on an import against the direction of the pipeline: a
// model that imports a rule, a loader that imports the workspace, a
// reporter that imports anything of k8slint's but diag, anything but cmd
// importing cli. Every package of the module must have a layer.
func TestLayers(t *testing.T) {
	root := filepath.Join("..", "..")
	pkgs := map[string][]string{}
	var parseProblems []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if path != root {
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // a nested module (the oracle) is not k8slint's binary
			}
		}
		pkg, err := build.Default.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files (or only test files) here
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		for _, imp := range pkg.Imports {
			if rel := strings.TrimPrefix(filepath.ToSlash(path), "../../"); rel == "rules" && parsers[imp] {
				parseProblems = append(parseProblems, "rules imports the parser "+imp+": rules read the workspace and never parse (decode in a loader, or generate a table)")
			}
			if strings.HasPrefix(imp, modulePath) {
				pkgs[rel] = append(pkgs[rel], strings.TrimPrefix(imp, modulePath))
			}
		}
		if _, ok := pkgs[rel]; !ok {
			pkgs[rel] = nil
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	problems := parseProblems
	for p, imps := range pkgs {
		if tools[p] {
			continue
		}
		lp, ok := layer[p]
		if !ok {
			problems = append(problems, p+" has no layer: add it to the layer table in internal/cli/layers_test.go and to docs/architecture.md")
			continue
		}
		for _, imp := range imps {
			if tools[imp] {
				problems = append(problems, p+" imports the test helper "+imp)
				continue
			}
			li, ok := layer[imp]
			if !ok || beside[[2]string{p, imp}] {
				continue
			}
			if li >= lp {
				problems = append(problems, p+" imports "+imp+": imports go only downward (cmd → cli → engine → rules → models → workspace → load → yamlx, diag)")
			}
			if p == "internal/report" && imp != "internal/diag" {
				problems = append(problems, "the reporters import only diag, not "+imp)
			}
		}
	}
	if len(pkgs) < 10 {
		t.Fatalf("only %d packages found; the walk is broken", len(pkgs))
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}
