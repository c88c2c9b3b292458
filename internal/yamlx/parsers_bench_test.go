package yamlx

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goccyparser "github.com/goccy/go-yaml/parser"
	yaml "go.yaml.in/yaml/v3"
)

// corpusManifests returns the contents of the real Kubernetes manifests of
// ../shared/corpus (skipping the test when it is absent).
func corpusManifests(tb testing.TB) [][]byte {
	files, ok := readCorpusManifests()
	if !ok {
		tb.Skip("../shared/corpus is absent; skipping")
	}
	return files
}

// readCorpusManifests reads the real Kubernetes manifests of ../shared/corpus;
// ok is false when the corpus is absent.
func readCorpusManifests() (files [][]byte, ok bool) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	f, err := os.Open(filepath.Join(dir, "SOURCES.tsv"))
	if err != nil {
		return nil, false
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[4] != "k8s" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, cols[0]))
		if err == nil {
			files = append(files, b)
		}
	}
	return files, true
}

func totalSize(files [][]byte) int64 {
	var n int64
	for _, f := range files {
		n += int64(len(f))
	}
	return n
}

// BenchmarkParserYAMLv3 and BenchmarkParserGoccy compare the two node-level
// parsers considered for manifests (the choice is explained in docs/performance.md).
func BenchmarkParserYAMLv3(b *testing.B) {
	files := corpusManifests(b)
	b.SetBytes(totalSize(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			dec := yaml.NewDecoder(strings.NewReader(string(data)))
			for {
				var n yaml.Node
				if dec.Decode(&n) != nil {
					break
				}
			}
		}
	}
}

func BenchmarkParserGoccy(b *testing.B) {
	files := corpusManifests(b)
	b.SetBytes(totalSize(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			_, _ = goccyparser.ParseBytes(data, goccyparser.ParseComments)
		}
	}
}

// BenchmarkParseStream is k8slint's own path: yaml.v3 plus conversion to the compact tree.
func BenchmarkParseStream(b *testing.B) {
	files := corpusManifests(b)
	b.SetBytes(totalSize(files))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			_ = ParseStream(Normalize(data))
		}
	}
}
