package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDeterministicOutput lints ../shared/corpus with one job and with eight
// and compares the bytes of the text and JSON outputs.
func TestDeterministicOutput(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(corpus, "SOURCES.tsv")); err != nil {
		t.Skip("../shared/corpus is absent; skipping")
	}
	for _, format := range []string{"json", "text"} {
		var outs [2][]byte
		for i, jobs := range []string{"1", "8"} {
			out, errs, code := run(t, "", "-j", jobs, "--format", format, "--color", "never", corpus)
			if code != ExitFindings && code != ExitOK {
				t.Fatalf("-j %s: exit code %d: %s", jobs, code, errs)
			}
			outs[i] = []byte(out)
		}
		if len(outs[0]) < 1000 {
			t.Fatalf("%s output is suspiciously short (%d bytes)", format, len(outs[0]))
		}
		if !bytes.Equal(outs[0], outs[1]) {
			i := 0
			for i < len(outs[0]) && i < len(outs[1]) && outs[0][i] == outs[1][i] {
				i++
			}
			lo := max(i-200, 0)
			t.Errorf("%s output differs between -j 1 and -j 8 at byte %d:\n-j 1: %s\n-j 8: %s", format, i,
				outs[0][lo:min(i+200, len(outs[0]))], outs[1][lo:min(i+200, len(outs[1]))])
		}
	}
}
