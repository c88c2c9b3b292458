package engine

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yamlv2 "go.yaml.in/yaml/v2"

	"github.com/k8slint/k8slint/internal/yamlx"
)

type source struct{ path, typ string }

func corpusSources(tb testing.TB, dir string) []source {
	f, err := os.Open(filepath.Join(dir, "SOURCES.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var out []source
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 5 {
			out = append(out, source{filepath.Join(dir, cols[0]), cols[4]})
		}
	}
	return out
}

// yamlV2Accepts is the "standard YAML parser" check: go.yaml.in/yaml/v2,
// the parser under sigs.k8s.io/yaml and so under kubectl.
func yamlV2Accepts(data []byte) bool {
	dec := yamlv2.NewDecoder(bytes.NewReader(yamlx.Normalize(data)))
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// TestCorpusSweep lints every real file of ../shared/corpus: no panic, every
// source file recognised and loaded, and no parse-error on a YAML file that
// yaml.v2 (kubectl's parser) accepts.
func TestCorpusSweep(t *testing.T) {
	dir, _ := filepath.Abs(corpusDir(t))
	res, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	sources := corpusSources(t, dir)
	if len(sources) < 2000 {
		t.Fatalf("only %d sources listed", len(sources))
	}
	parseErrors := map[string]string{}
	for _, f := range res.Findings {
		if f.Rule == "parse-error" {
			parseErrors[f.File] = f.Message
		}
	}
	for _, s := range sources {
		msg, bad := parseErrors[s.path]
		if !bad {
			continue
		}
		ext := strings.ToLower(filepath.Ext(s.path))
		if ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		data, err := os.ReadFile(s.path)
		if err != nil {
			t.Fatal(err)
		}
		if yamlV2Accepts(data) {
			t.Errorf("%s: parse-error (%s) on a file that yaml.v2 accepts", s.path, msg)
		}
	}
	if res.Files < 2000 {
		t.Errorf("only %d input files loaded from the corpus", res.Files)
	}
	t.Logf("corpus: %d files, %d findings, %d parse errors", res.Files, len(res.Findings), len(parseErrors))
}
