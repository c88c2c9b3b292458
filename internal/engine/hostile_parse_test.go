package engine

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// parseHostileCases are the parser and output classes of issue 15 (§2, §4,
// §5, §6), each at a size that failed before: the process died of out of
// memory, or the run took minutes.
func parseHostileCases() []hostileCase {
	deep := strings.Repeat("[", 60000) + strings.Repeat("]", 60000) // 120 KB
	return []hostileCase{
		{
			// Before: the position parser (goccy) needed over 2 GB; fatal out of memory.
			name: "a 60,000-deep flow sequence",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "deep.yaml", []byte(manifest("data:\n  k: "+deep+"\n")))
			},
			want:    []expect{{"deep.yaml", 6, 2006, "parse-error", "nesting deeper than 2000 levels"}},
			maxTime: 2 * time.Second,
		},
		{
			name: "a 60,000-deep flow sequence in a ConfigMap's mongod.conf",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "cm.yaml", []byte(manifest("data:\n  mongod.conf: |\n    net: "+deep+"\n")))
			},
			maxTime: 2 * time.Second,
		},
		{
			// Before: over 120 s (columns counted from the line's start per scalar).
			name: "a one-line JSON manifest of 60,000 keys",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "min.json", []byte(minifiedJSON(60000)))
			},
			want:     []expect{{"min.json", 1, 0, "duplicate-key", `key "k0"`}},
			maxAlloc: 256 << 20,
			maxTime:  4 * time.Second,
		},
		{
			// Before: over 120 s (columns counted from the line's start per rule ID).
			name: "a k8slint:ignore comment naming 100,000 rule IDs",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "ignore.yaml", []byte(ignoreComment(100000)+manifest("")))
			},
			want: []expect{
				{"ignore.yaml", 1, 1, "ignore-without-reason", "(and 99997 more)"},
				{"ignore.yaml", 1, 18 + len(ignoreIDs(99999)) - len("rule-99998"), "unused-ignore", `"rule-99998"`},
			},
			maxAlloc: 512 << 20,
			maxTime:  4 * time.Second,
		},
		{
			// Before: none of the three was reported, and they were not counted.
			name: "JSON manifests that do not parse",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "truncated.json", []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"`))
				write(t, dir, "deep.json", []byte(`{"apiVersion":"v1","kind":"Pod","x":`+strings.Repeat("[", 3000)+"\n"))
				write(t, dir, "nokind.json", []byte(`{"metadata": {"name": "x"`))
				write(t, dir, "package.json", []byte(`{"name": "x"`)) // not Kubernetes by its name: skipped
			},
			want: []expect{
				{"truncated.json", 1, 50, "parse-error", "did not find expected"},
				{"deep.json", 2, 0, "parse-error", "did not find expected"},
				{"nokind.json", 1, 0, "parse-error", "did not find expected"},
			},
			forbidFinding: []string{"package.json"}, // -v says it was skipped: that is right
		},
		{
			// Before: the second document's first key was "\uFEFFapiVersion" and it was never checked.
			name: "a byte order mark after ---",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "bom.yaml", []byte("\uFEFF"+manifest("")+"---\n\uFEFF"+sentinel))
			},
			want: []expect{{"bom.yaml", 16, 14, "env-value-not-string", `"X"`}},
		},
		{
			// Before: both accepted, where kubectl fails.
			name: "merge of a scalar and a literal root",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "merge.yaml", []byte(manifest("x: &s foo\ndata:\n  <<: *s\n")))
				write(t, dir, "literal.yaml", []byte("--- |\n  "+strings.ReplaceAll(manifest(""), "\n", "\n  ")))
			},
			want: []expect{
				{"merge.yaml", 7, 3, "parse-error", "map merge requires map or sequence of maps as the value"},
				{"literal.yaml", 1, 1, "parse-error", "invalid Yaml document separator: |"},
			},
		},
		{
			// Content of an unknown file is quoted as a short excerpt at most.
			name: "a Dockerfile that is a dotenv file",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "Dockerfile", []byte("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n"))
			},
			want:   []expect{{"Dockerfile", 1, 1, "parse-error", "unknown instruction: AWS_SECRET_ACCESS_KEY=…"}},
			forbid: []string{"wJalrXUtnFEMI"},
		},
		{
			// The reporters escape them (report.TestHostileNamesEscaped); the run reads them.
			name: "names with escape sequences and line breaks",
			setup: func(t *testing.T, dir string) {
				name := "d\x1b]8;;https://x\x07\r\n::error ::x/f\x1b[2J\n.yaml"
				write(t, dir, name, []byte(strings.Replace(manifest("  namespace: \"\\e[31m\\r\\n::error ::n\"\n  a: 1\n  a: 2\n"), "name: cm", "name: \"\\e]8;;u\\a\\r\"", 1)))
			},
			want: []expect{{"d\x1b]8;;https://x\x07\r\n::error ::x/f\x1b[2J\n.yaml", 7, 3, "duplicate-key", `key "a"`}},
		},
	}
}

func minifiedJSON(keys int) string {
	var b strings.Builder
	b.WriteString(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{`)
	for i := range keys {
		fmt.Fprintf(&b, `"k%d":"v",`, i)
	}
	b.WriteString(`"k0":"again"}}`)
	return b.String()
}

func ignoreIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("rule-%d", i)
	}
	return strings.Join(ids, ",")
}

func ignoreComment(n int) string { return "# k8slint:ignore " + ignoreIDs(n) + "\n" }

// TestHostileLinear: the work of the long-line classes grows linearly with
// the input (quadratic work is 16 times as long for 4 times the input). The
// parts that were quadratic are timed alone, best of 5, without the
// collector, so that the figures hold on a busy machine.
func TestHostileLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	for _, c := range []struct {
		name string
		work func(n int) func()
		n    int
	}{
		{"one-line JSON", func(n int) func() {
			data := []byte(minifiedJSON(n))
			return func() { yamlx.ParseStream(data) }
		}, 15000},
		{"ignore comment", func(n int) func() {
			data := []byte(ignoreComment(n))
			return func() { load.ScanSuppressions(data, load.YAMLComments) }
		}, 100000},
		{"ignore annotation", func(n int) func() {
			docs := yamlx.ParseStream([]byte("k: " + ignoreIDs(n) + "\n"))
			v := docs[0].Root.Get("k")
			return func() { parseAnnotation(v) }
		}, 100000},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer debug.SetGCPercent(debug.SetGCPercent(-1))
			run := func(n int) time.Duration {
				f := c.work(n)
				best := time.Duration(1 << 62)
				for range 5 {
					start := time.Now()
					f()
					best = min(best, time.Since(start))
				}
				runtime.GC()
				return best
			}
			small, big := run(c.n), run(4*c.n)
			t.Logf("n=%d: %v, 4n: %v (%.1fx)", c.n, small, big, float64(big)/float64(small))
			if big > 10*small && big > time.Second {
				t.Errorf("4x the input took %.1fx the time (%v, %v): not linear", float64(big)/float64(small), small, big)
			}
		})
	}
}
