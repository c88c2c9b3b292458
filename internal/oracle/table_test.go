package oracle

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const tableDir = "testdata/table"

// tableFiles returns the table's files, sorted.
func tableFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(tableDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no table files under %s (%v)", tableDir, err)
	}
	sort.Strings(files)
	return files
}

// tableVerdicts judges every document of the table, with file names
// relative to the table directory.
func tableVerdicts(t *testing.T) []Verdict {
	t.Helper()
	var all []Verdict
	for _, f := range tableFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, CheckStream(filepath.Base(f), data)...)
	}
	return all
}

// TestOracleTable checks the oracle's verdicts on the table against
// testdata/table.golden (go test -run TestOracleTable -update rewrites it;
// read the diff). Each document must open with a comment that says what it
// tests.
func TestOracleTable(t *testing.T) {
	var out bytes.Buffer
	judged, accepted := 0, 0
	for _, f := range tableFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range SplitDocuments(data) {
			if len(bytes.TrimSpace(d.Data)) == 0 {
				continue
			}
			if !bytes.HasPrefix(d.Data, []byte("# ")) {
				t.Errorf("%s:%d: the document does not open with a comment saying what it tests", f, d.Line)
			}
		}
		for _, v := range CheckStream(filepath.Base(f), data) {
			out.WriteString(Format(v))
			if v.Judged {
				judged++
				if v.Accepted {
					accepted++
				}
			}
		}
	}
	if judged < 150 {
		t.Errorf("the table has %d judged documents; it needs at least 150", judged)
	}
	t.Logf("%d judged documents: %d accepted, %d rejected", judged, accepted, judged-accepted)
	golden := filepath.Join("testdata", "table.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestOracleTable -update)", err)
	}
	if !bytes.Equal(want, out.Bytes()) {
		t.Errorf("verdicts differ from %s (rerun with -update and read the diff):\n%s", golden, diffLines(string(want), out.String()))
	}
}

// diffLines lists the lines only one side has (enough to see what changed).
func diffLines(want, got string) string {
	w := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		w[l]++
	}
	g := map[string]int{}
	for _, l := range strings.Split(got, "\n") {
		g[l]++
	}
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if g[l] == 0 {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if w[l] == 0 {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

func TestSplitDocuments(t *testing.T) {
	docs := SplitDocuments([]byte("a: 1\n---\nb: 2\n--- # c\n---x: 3\n"))
	if len(docs) != 3 {
		t.Fatalf("got %d documents, want 3: %+v", len(docs), docs)
	}
	if docs[1].Line != 3 || docs[1].EndLine != 3 || string(docs[1].Data) != "b: 2\n" {
		t.Errorf("second document: %+v", docs[1])
	}
	if string(docs[2].Data) != "---x: 3\n" || docs[2].Line != 5 {
		t.Errorf("third document: %+v", docs[2])
	}
}

// TestLastAppliedLimit: `kubectl apply` keeps the whole configuration in an
// annotation, and annotations may total 256 KiB, so a ConfigMap that is
// itself well under its 1 MiB limit fails when applied.
func TestLastAppliedLimit(t *testing.T) {
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  dashboard.json: " +
		strings.Repeat("x", 300<<10) + "\n"
	v, ok := CheckDocument([]byte(doc))
	if !ok || v.Accepted || len(v.Errors) != 1 || v.Errors[0].Type != "FieldValueTooLong" || v.Errors[0].Field != "metadata.annotations" {
		t.Errorf("a 300 KiB ConfigMap: got %+v, want one FieldValueTooLong on metadata.annotations", v.Errors)
	}
	small := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\ndata:\n  dashboard.json: " +
		strings.Repeat("x", 200<<10) + "\n"
	if v, _ := CheckDocument([]byte(small)); !v.Accepted {
		t.Errorf("a 200 KiB ConfigMap: got %+v, want accepted", v.Errors)
	}
}
