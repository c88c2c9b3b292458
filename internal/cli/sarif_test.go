package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/k8slint/k8slint/rules"
)

// schemaPath is the OASIS SARIF 2.1.0 schema (errata01), kept in testdata so
// that a clone without ../shared still validates SARIF output;
// sharedSchemaPath is the copy in ../shared, which it must equal.
const (
	schemaPath       = "testdata/sarif-schema-2.1.0.json"
	sharedSchemaPath = "../../../shared/schemas/sarif-schema-2.1.0.json"
)

func TestSchemaCopy(t *testing.T) {
	shared, err := os.ReadFile(sharedSchemaPath)
	if err != nil {
		t.Skipf("../shared/schemas is not beside the repository (%v): the kept copy is not compared", err)
	}
	ours, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, ours) {
		t.Errorf("%s differs from %s", schemaPath, sharedSchemaPath)
	}
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	return sch
}

// validateSARIF checks a log against the schema and returns it decoded.
func validateSARIF(t *testing.T, sch *jsonschema.Schema, out string) sarifDoc {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF log is not valid against the 2.1.0 schema: %v", err)
	}
	var doc sarifDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					HelpURI          string `json:"helpUri"`
					Default          struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI         string
			Description struct{ Text string }
		} `json:"originalUriBaseIds"`
		Results []sarifResult `json:"results"`
	} `json:"runs"`
}

type sarifLoc struct {
	ID               int `json:"id"`
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine, StartColumn, EndLine, EndColumn int
		} `json:"region"`
	} `json:"physicalLocation"`
	Message struct{ Text string } `json:"message"`
}

type sarifResult struct {
	RuleID              string `json:"ruleId"`
	RuleIndex           *int   `json:"ruleIndex"`
	Level               string `json:"level"`
	Message             struct{ Text string }
	Locations           []sarifLoc        `json:"locations"`
	RelatedLocations    []sarifLoc        `json:"relatedLocations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

func TestSARIFArticle(t *testing.T) {
	sch := sarifSchema(t)
	t.Chdir("../..")
	out, errs, code := run(t, "", "--format", "sarif", "testdata/article")
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr: %s", code, errs)
	}
	doc := validateSARIF(t, sch, out)
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("version %q, %d runs", doc.Version, len(doc.Runs))
	}
	run := doc.Runs[0]
	d := run.Tool.Driver
	if d.Name != "k8slint" || d.Version == "" || !strings.HasPrefix(d.InformationURI, "https://") {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	// Every rule, parse-error and unused-ignore included, has a complete entry.
	all := rules.All()
	if len(d.Rules) != len(all) {
		t.Fatalf("%d driver rules, want %d", len(d.Rules), len(all))
	}
	for i, r := range d.Rules {
		if r.ID != all[i].ID || r.Name == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" ||
			!strings.Contains(r.Help.Markdown, "## Suppress") || r.HelpURI != "https://github.com/k8slint/k8slint/blob/main/docs/rules/"+r.ID+".md" ||
			r.Default.Level != map[string]string{"error": "error", "warning": "warning", "info": "note"}[all[i].Severity.String()] {
			t.Errorf("driver rule %d incomplete: %+v", i, r)
		}
	}
	if b, ok := run.OriginalURIBaseIDs["%SRCROOT%"]; !ok || b.URI != "" || b.Description.Text == "" {
		t.Errorf("%%SRCROOT%% = %+v: want a description and no local path", b)
	}
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	var env *sarifResult
	for i, r := range run.Results {
		if r.RuleIndex == nil || d.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex does not point at %s", i, r.RuleID)
		}
		l := r.Locations[0].PhysicalLocation
		if l.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(l.ArtifactLocation.URI, "/") || !strings.HasPrefix(l.ArtifactLocation.URI, "testdata/article/") {
			t.Errorf("result %d: artifact %+v, want a path relative to the project root", i, l.ArtifactLocation)
		}
		if l.Region.StartLine < 1 || l.Region.StartColumn < 1 || l.Region.EndLine < l.Region.StartLine || l.Region.EndColumn <= 0 {
			t.Errorf("result %d: region %+v is not a real span", i, l.Region)
		}
		if r.PartialFingerprints["k8slint/v1"] == "" {
			t.Errorf("result %d: no fingerprint", i)
		}
		if r.RuleID == "env-value-not-string" && strings.HasSuffix(l.ArtifactLocation.URI, "web.yaml") {
			env = &run.Results[i]
		}
	}
	if env == nil {
		t.Fatal("no env-value-not-string result in web.yaml")
	}
	// `value: 8004` at web.yaml:24:18: the region is exactly the value.
	if reg := env.Locations[0].PhysicalLocation.Region; reg.StartLine != 24 || reg.StartColumn != 18 || reg.EndLine != 24 || reg.EndColumn != 22 || env.Level != "error" {
		t.Errorf("web.yaml PORT: region %+v level %s, want 24:18-24:22 error", reg, env.Level)
	}
}

// A clean run is a valid log with an empty results array, never a missing one.
func TestSARIFClean(t *testing.T) {
	sch := sarifSchema(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	out, errs, code := run(t, "", "--format", "sarif", ".")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %s", code, errs)
	}
	validateSARIF(t, sch, out)
	if !strings.Contains(out, `"results": []`) {
		t.Errorf("clean run lacks an empty results array:\n%s", out)
	}
	if errs != "" {
		t.Errorf("stderr not empty: %s", errs)
	}
}

// Fingerprints stay the same when unrelated lines move; regions follow them.
func TestSARIFFingerprintsStable(t *testing.T) {
	sch := sarifSchema(t)
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir(".git", 0o755); err != nil {
		t.Fatal(err)
	}
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    env:\n    - name: A\n      value: 1\n    - name: B\n      value: true\n    - name: C\n      value: 1\n"
	lint := func(content string) []sarifResult {
		if err := os.WriteFile("pod.yaml", []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errs, code := run(t, "", "--format", "sarif", "pod.yaml")
		if code != ExitFindings {
			t.Fatalf("exit %d; stderr %s", code, errs)
		}
		return validateSARIF(t, sch, out).Runs[0].Results
	}
	before := lint(pod)
	moved := "# a comment\n# another one\n" + strings.Replace(pod, "  name: p\n", "  name: p\n  labels:\n    app: p\n", 1)
	after := lint(moved)
	if len(before) != 3 || len(after) != 3 {
		t.Fatalf("%d and %d results, want 3", len(before), len(after))
	}
	seen := map[string]bool{}
	for i := range before {
		b, a := before[i], after[i]
		fb, fa := b.PartialFingerprints["k8slint/v1"], a.PartialFingerprints["k8slint/v1"]
		if fb != fa {
			t.Errorf("result %d: fingerprint changed when unrelated lines moved: %s -> %s", i, fb, fa)
		}
		if seen[fb] {
			t.Errorf("result %d: fingerprint %s is not unique", i, fb)
		}
		seen[fb] = true
		if a.Locations[0].PhysicalLocation.Region.StartLine != b.Locations[0].PhysicalLocation.Region.StartLine+4 {
			t.Errorf("result %d: region did not move with its line", i)
		}
	}
	// Changing the flagged value itself is a different finding.
	changed := lint(strings.Replace(pod, "value: true", "value: false", 1))
	if changed[1].PartialFingerprints["k8slint/v1"] == before[1].PartialFingerprints["k8slint/v1"] {
		t.Errorf("fingerprint did not change with the flagged value")
	}
}

// Standard input, and a file outside the project root, still make a valid log.
func TestSARIFStdinAndOutsideRoot(t *testing.T) {
	sch := sarifSchema(t)
	manifest := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    env:\n    - {name: A, value: yes}\n"
	out, errs, code := run(t, manifest, "--format", "sarif", "-")
	if code != ExitFindings {
		t.Fatalf("exit %d; %s", code, errs)
	}
	res := validateSARIF(t, sch, out).Runs[0].Results
	if len(res) != 1 || res[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "%3Cstdin%3E" {
		t.Errorf("stdin results %+v", res)
	}
	project, outside := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(project, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	pod := filepath.Join(outside, "pod.yaml")
	if err := os.WriteFile(pod, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(project)
	out, errs, _ = run(t, "", "--format", "sarif", pod)
	res = validateSARIF(t, sch, out).Runs[0].Results
	if len(res) != 1 {
		t.Fatalf("%d results; %s", len(res), errs)
	}
	// The file's own directory is its root (no .git, no .k8slint.yaml).
	if a := res[0].Locations[0].PhysicalLocation.ArtifactLocation; a.URIBaseID != "%SRCROOT%" || a.URI != "pod.yaml" {
		t.Errorf("outside file: artifact %+v", a)
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "pod.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    env:\n    - {name: A, value: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif", "github"} {
		outFile := filepath.Join(dir, "report."+format)
		out, errs, code := run(t, "", "--format", format, "--output", outFile, "--color", "auto", bad)
		if code != ExitFindings || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", format, code, out, errs)
		}
		data, err := os.ReadFile(outFile)
		if err != nil || !strings.Contains(string(data), "env-value-not-string") || strings.Contains(string(data), "\x1b[") {
			t.Errorf("%s: report file %q, %v", format, data, err)
		}
	}
	_, errs, code := run(t, "", "--output", filepath.Join(dir, "no/such/dir/r.txt"), bad)
	if code != ExitUsage || !strings.Contains(errs, "writing output") {
		t.Errorf("unwritable --output: exit %d, %s", code, errs)
	}
}

// The real-world corpus makes a valid log too, with unique fingerprints and
// a region on every result.
func TestSARIFCorpus(t *testing.T) {
	sch := sarifSchema(t)
	corpus, err := filepath.Abs("../../../shared/corpus")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not available (%v): ../shared/corpus is not beside the repository", err)
	}
	t.Chdir(corpus)
	out, errs, code := run(t, "", "--format", "sarif", ".")
	if code == ExitUsage {
		t.Fatalf("exit %d: %s", code, errs)
	}
	res := validateSARIF(t, sch, out).Runs[0].Results
	seen := map[string]bool{}
	for _, r := range res {
		fp := r.PartialFingerprints["k8slint/v1"]
		if seen[fp] {
			t.Errorf("fingerprint %s appears twice", fp)
		}
		seen[fp] = true
		if reg := r.Locations[0].PhysicalLocation.Region; reg.StartLine < 1 || reg.EndLine < reg.StartLine {
			t.Errorf("%s %s: region %+v", r.RuleID, r.Locations[0].PhysicalLocation.ArtifactLocation.URI, reg)
		}
	}
	t.Logf("%d results from the corpus validate", len(res))
}
