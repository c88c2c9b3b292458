package oracle

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/placeholder"
	"github.com/k8slint/k8slint/rules"
)

// strict reports whether disagreements fail the tests
// (K8SLINT_ORACLE_STRICT=1); otherwise they only report the figures.
func strict() bool { return os.Getenv("K8SLINT_ORACLE_STRICT") == "1" }

// missingRules lists the compared rules k8slint does not have yet.
func missingRules() []string {
	var out []string
	for _, id := range ComparedRules {
		if rules.ByID(id) == nil {
			out = append(out, id)
		}
	}
	return out
}

// lintFindings runs k8slint's engine (every rule) over paths and returns the
// findings of the compared rules, by absolute file path.
func lintFindings(t *testing.T, paths ...string) map[string][]diag.Finding {
	t.Helper()
	return findingsByFile(t, rules.All(), ComparedRules, paths)
}

// findingsByFile runs the engine with rs over paths and returns the
// findings of the rules ids, by absolute file path.
func findingsByFile(t *testing.T, rs []*rules.Rule, ids []string, paths []string) map[string][]diag.Finding {
	t.Helper()
	res, err := engine.Run(engine.Options{Paths: paths, Rules: rs})
	if err != nil {
		t.Fatalf("engine.Run: %v", err)
	}
	out := map[string][]diag.Finding{}
	for _, f := range res.Findings {
		if !slices.Contains(ids, f.Rule) {
			continue
		}
		abs, err := filepath.Abs(f.File)
		if err != nil {
			abs = f.File
		}
		out[abs] = append(out[abs], f)
	}
	return out
}

// docFindings returns the findings whose line falls in the document.
func docFindings(fs []diag.Finding, v Verdict) []diag.Finding {
	var out []diag.Finding
	for _, f := range fs {
		if f.Line >= v.Line && f.Line <= v.EndLine {
			out = append(out, f)
		}
	}
	return out
}

// comparison is the outcome for one document.
type comparison struct {
	verdict  Verdict
	findings []diag.Finding
	agree    bool // the same verdict and, error by error, the same rules
	// missed: oracle errors no finding reports; extra: findings of a rule
	// no oracle error maps to; misplaced: errors reported by their rule but
	// not on the error's line.
	missed, extra, misplaced []string
	missedErrs               []Error // the errors of missed
	// unchecked: findings on a document the decoder stops early, about
	// what the API server never got to validate.
	unchecked []string
}

// compare holds one document's oracle verdict against k8slint's findings.
// Every oracle error (Errors and Then: k8slint reports all at once) needs a
// finding of one of its rules; every finding needs an oracle error of its
// rule. A finding on the error's line counts as placed.
func compare(v Verdict, fs []diag.Finding) comparison {
	c := comparison{verdict: v, findings: fs}
	errs := append(append([]Error(nil), v.Errors...), v.Then...)
	wanted := map[string]bool{}
	for _, e := range errs {
		ids := RulesFor(e)
		if ids == nil {
			continue // not a compared rule's (YAML syntax)
		}
		for _, id := range ids {
			wanted[id] = true
		}
		found, placed := false, false
		for _, f := range fs {
			if slices.Contains(ids, f.Rule) {
				found = true
				if e.Line == 0 || f.Line == e.Line {
					placed = true
				}
			}
		}
		if !found && namedInDetail(e, fs) {
			// A knock-on error of a cause another finding reports: its
			// detail quotes the API server's error (see README.md).
			found, placed = true, true
		}
		switch {
		case !found:
			c.missed = append(c.missed, fmt.Sprintf("%s (%s)", e, strings.Join(ids, "|")))
			c.missedErrs = append(c.missedErrs, e)
		case !placed:
			c.misplaced = append(c.misplaced, fmt.Sprintf("%s (%s): k8slint reports it elsewhere", e, strings.Join(ids, "|")))
		}
	}
	// When the decoder stops at a value (a wrong type, a quantity, base64),
	// the API server validates nothing else: other findings cannot be checked.
	stopped := false
	for _, e := range v.Errors {
		switch e.Type {
		case TypeWrongType, TypeBadQuantity, TypeBadBase64:
			stopped = true
		}
	}
	for _, f := range fs {
		if !wanted[f.Rule] {
			x := fmt.Sprintf("%s:%d:%d %s: %s", filepath.Base(f.File), f.Line, f.Column, f.Rule, f.Message)
			if stopped {
				c.unchecked = append(c.unchecked, x)
			} else {
				c.extra = append(c.extra, x)
			}
		}
	}
	c.agree = len(c.missed) == 0 && len(c.extra) == 0
	return c
}

// namedInDetail reports whether a finding's detail quotes the oracle
// error: its field path followed by its type ("spec.template.metadata.labels:
// Invalid value", "spec.containers: Required value"). k8slint reports one
// cause once; the finding's detail says what else the API server reports
// for it (a missing selector also makes the template's labels mismatch; an
// unknown field that stands for a required one).
func namedInDetail(e Error, fs []diag.Finding) bool {
	if e.Field == "" {
		return false
	}
	head, _, _ := strings.Cut(e.Message, ":")
	quote := e.Field + ": " + head
	for _, f := range fs {
		if strings.Contains(f.Detail, quote) {
			return true
		}
	}
	return false
}

// TestAgreement runs k8slint over the oracle table and compares, document
// by document, its findings of the compared rules with the oracle's
// verdicts. It prints the agreement table; it fails on a disagreement only
// with K8SLINT_ORACLE_STRICT=1.
func TestAgreement(t *testing.T) {
	if m := missingRules(); len(m) > 0 {
		t.Logf("k8slint has no rule %s yet: their documents cannot agree", strings.Join(m, ", "))
	}
	abs, err := filepath.Abs(tableDir)
	if err != nil {
		t.Fatal(err)
	}
	byFile := lintFindings(t, abs)
	var cs []comparison
	for _, v := range tableVerdicts(t) {
		fs := docFindings(byFile[filepath.Join(abs, v.File)], v)
		if !v.Judged {
			if len(fs) > 0 && strict() {
				t.Errorf("%s#%d: findings on a document the oracle does not judge: %v", v.File, v.Doc, fs)
			}
			continue
		}
		cs = append(cs, compare(v, fs))
	}
	agree, placed := 0, 0
	var b strings.Builder
	for _, c := range cs {
		if c.agree {
			agree++
			if len(c.misplaced) == 0 {
				placed++
			}
			continue
		}
		v := c.verdict
		verdict := "accepted"
		if !v.Accepted {
			verdict = "rejected"
		}
		fmt.Fprintf(&b, "  %s#%d (line %d) %s %s: oracle %s\n", v.File, v.Doc, v.Line, v.Kind, v.Name, verdict)
		for _, m := range c.missed {
			fmt.Fprintf(&b, "      missed: %s\n", m)
		}
		for _, x := range c.extra {
			fmt.Fprintf(&b, "      extra:  %s\n", x)
		}
	}
	var mis strings.Builder
	for _, c := range cs {
		if c.agree {
			for _, m := range c.misplaced {
				fmt.Fprintf(&mis, "  %s#%d: %s\n", c.verdict.File, c.verdict.Doc, m)
			}
		}
		for _, u := range c.unchecked {
			fmt.Fprintf(&mis, "  %s#%d: unchecked (the decoder stops before validation): %s\n", c.verdict.File, c.verdict.Doc, u)
		}
	}
	summary := fmt.Sprintf("oracle agreement on the table: %d of %d judged documents agree (%d of them on every error's line), %d disagree",
		agree, len(cs), placed, len(cs)-agree)
	t.Log(summary)
	if b.Len() > 0 {
		t.Log("disagreements:\n" + b.String())
	}
	if mis.Len() > 0 {
		t.Log("agreeing documents whose findings are on another line than the oracle's field, and findings that cannot be checked:\n" + mis.String())
	}
	if strict() && agree != len(cs) {
		t.Errorf("%s (K8SLINT_ORACLE_STRICT=1)", summary)
	}
}

// corpusDir is ../shared/corpus beside the repository (or $K8SLINT_CORPUS).
func corpusDir() (string, bool) {
	dirs := []string{filepath.Join("..", "..", "..", "shared", "corpus")}
	if d := os.Getenv("K8SLINT_CORPUS"); d != "" {
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			abs, err := filepath.Abs(d)
			if err == nil {
				return abs, true
			}
		}
	}
	return "", false
}

// corpusManifests lists the corpus's YAML files: those SOURCES.tsv marks as
// Kubernetes manifests when it exists, else every *.yaml and *.yml file.
func corpusManifests(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	if data, err := os.ReadFile(filepath.Join(dir, "SOURCES.tsv")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			cols := strings.Split(line, "\t")
			if len(cols) >= 5 && cols[4] == "k8s" && isYAML(cols[0]) {
				files = append(files, filepath.Join(dir, filepath.FromSlash(cols[0])))
			}
		}
	}
	if len(files) == 0 {
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && isYAML(path) {
				files = append(files, path)
			}
			return nil
		})
	}
	sort.Strings(files)
	return files
}

func isYAML(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}

// TestCorpus runs the oracle over every manifest of ../shared/corpus, prints
// how many documents it rejects (by kind and by error type) and, when
// k8slint has the compared rules, whether k8slint finds each error; the
// rejected documents and their errors are kept in
// testdata/corpus-verdicts.txt (rewritten with -update).
func TestCorpus(t *testing.T) {
	dir, ok := corpusDir()
	if !ok {
		t.Skip("../shared/corpus is absent (set K8SLINT_CORPUS to its path); skipping")
	}
	files := corpusManifests(t, dir)
	patches := kustomizePatches(dir)
	var kept []string
	for _, f := range files {
		if !patches[f] {
			kept = append(kept, f)
		}
	}
	t.Logf("corpus: %d manifest files, %d of them kustomize patches (not judged)", len(files), len(files)-len(kept))
	files = kept
	var rejected []Verdict
	docs, judged := 0, 0
	skipped := map[string]int{}
	byKind := map[string]int{}
	byType := map[string]int{}
	var out strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		for _, v := range CheckStream(filepath.ToSlash(rel), data) {
			docs++
			if !v.Judged {
				skipped[v.Kind]++
				continue
			}
			judged++
			if v.Accepted {
				continue
			}
			rejected = append(rejected, v)
			byKind[v.Kind]++
			seen := map[string]bool{}
			for _, e := range v.Errors {
				if !seen[e.Type] {
					byType[e.Type]++
					seen[e.Type] = true
				}
			}
			out.WriteString(Format(v))
		}
	}
	t.Logf("corpus: %d files, %d documents, %d judged, %d rejected, %d not judged (custom resources, kinds without a strategy)",
		len(files), docs, judged, len(rejected), docs-judged)
	t.Logf("rejected by kind: %s", counts(byKind))
	t.Logf("rejected by error type (documents): %s", counts(byType))
	t.Logf("not judged by kind: %s", counts(skipped))

	golden := filepath.Join("testdata", "corpus-verdicts.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(golden); err != nil {
		t.Errorf("%v (run go test -run TestCorpus -update)", err)
	} else if string(want) != out.String() {
		t.Errorf("corpus verdicts differ from %s (rerun with -update and read the diff):\n%s", golden, diffLines(string(want), out.String()))
	}

	if m := missingRules(); len(m) > 0 {
		t.Logf("k8slint has no rule %s yet: whether it finds the rejected documents is not checked", strings.Join(m, ", "))
		return
	}
	byFile := lintFindings(t, dir)
	dups := duplicateKeyFindings(t, dir)
	found, templates, viaDup := 0, 0, 0
	var real, tmpl strings.Builder
	for _, v := range rejected {
		path := filepath.Join(dir, filepath.FromSlash(v.File))
		c := compare(v, docFindings(byFile[path], v))
		if len(c.missed) == 0 {
			found++
			continue
		}
		data, _ := os.ReadFile(path)
		out := &real
		switch {
		case placeholderTemplate(v, c.missedErrs, data):
			// Values an envsubst or sed step replaces: k8slint's
			// placeholder rule (internal/placeholder) leaves them alone.
			templates++
			out = &tmpl
		case len(docFindings(dups[path], v)) > 0:
			// A key written twice: kubectl keeps the last value, k8slint
			// reports the duplicate key (duplicate-key) and checks the first.
			found++
			viaDup++
			continue
		}
		fmt.Fprintf(out, "  %s#%d (line %d) %s %s:\n", v.File, v.Doc, v.Line, v.Kind, v.Name)
		for _, m := range c.missed {
			fmt.Fprintf(out, "      missed: %s\n", m)
		}
	}
	// Findings on documents the oracle accepts are false positives.
	falsePos := 0
	var fp strings.Builder
	for _, f := range files {
		data, _ := os.ReadFile(f)
		rel, _ := filepath.Rel(dir, f)
		for _, v := range CheckStream(filepath.ToSlash(rel), data) {
			if !v.Judged || !v.Accepted {
				continue
			}
			for _, x := range docFindings(byFile[f], v) {
				falsePos++
				fmt.Fprintf(&fp, "  %s:%d:%d %s: %s\n", v.File, x.Line, x.Column, x.Rule, x.Message)
			}
		}
	}
	t.Logf("%d of the %d rejected documents are placeholder templates (every error k8slint leaves is about a value its placeholder rule recognizes: $VAR, ${VAR}, {{ var }}, <var>, __VAR__, WORD_WORD, an all-caps word where a number goes)",
		templates, len(rejected))
	t.Logf("k8slint finds every error of %d of the %d rejected documents that are not placeholder templates (%d of them through duplicate-key: kubectl keeps a repeated key's last value); %d findings on documents the oracle accepts",
		found, len(rejected)-templates, viaDup, falsePos)
	if real.Len() > 0 {
		t.Log("rejected documents k8slint misses (in part):\n" + real.String())
	}
	if tmpl.Len() > 0 {
		t.Log("placeholder templates (not counted as misses):\n" + tmpl.String())
	}
	if fp.Len() > 0 {
		t.Log("findings on accepted documents:\n" + fp.String())
	}
	if strict() && (found != len(rejected)-templates || falsePos > 0) {
		t.Errorf("k8slint and the oracle disagree on the corpus: %d real misses, %d findings on accepted documents (K8SLINT_ORACLE_STRICT=1)", len(rejected)-templates-found, falsePos)
	}
}

// duplicateKeyFindings are the duplicate-key findings of the tree, by
// absolute file path.
func duplicateKeyFindings(t *testing.T, paths ...string) map[string][]diag.Finding {
	t.Helper()
	return findingsByFile(t, []*rules.Rule{rules.ByID("duplicate-key")}, []string{"duplicate-key"}, paths)
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "(none)"
		}
		parts[i] = fmt.Sprintf("%s %d", name, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// placeholderTemplate reports whether every error of a rejected document
// that k8slint misses is about a placeholder, as k8slint's one
// placeholder rule (internal/placeholder) decides: the value the error
// quotes (`Invalid value: "$K8S_SA_NAME"`), else the value on the error's
// line (a string in an int32 field: `port: PORT`), else, for an error
// without a field (a quantity that does not parse), a placeholder value
// anywhere in the document.
func placeholderTemplate(v Verdict, missed []Error, file []byte) bool {
	lines := strings.Split(string(file), "\n")
	for _, e := range missed {
		if !placeholderError(e, lines, v) {
			return false
		}
	}
	return len(missed) > 0
}

var quotedValueRe = regexp.MustCompile(`^(?:Invalid|Unsupported|Duplicate) value: ("(?:[^"\\]|\\.)*")`)

func placeholderError(e Error, lines []string, v Verdict) bool {
	if m := quotedValueRe.FindStringSubmatch(e.Message); m != nil {
		if s, err := strconv.Unquote(m[1]); err == nil {
			return placeholder.Is(s) || placeholder.IsNumber(s) && e.Type == TypeWrongType
		}
	}
	if e.Line > 0 && e.Line <= len(lines) && e.InDocument {
		if _, val, ok := strings.Cut(lines[e.Line-1], ":"); ok {
			val = strings.TrimSpace(val)
			if i := strings.Index(val, " #"); i >= 0 {
				val = strings.TrimSpace(val[:i])
			}
			val = strings.Trim(val, `"'`)
			return val != "" && placeholder.IsNumber(val)
		}
	}
	if e.Field == "" && (e.Type == TypeBadQuantity || e.Type == TypeWrongType) {
		for i := v.Line; i <= v.EndLine && i <= len(lines); i++ {
			if _, val, ok := strings.Cut(lines[i-1], ": "); ok {
				val = strings.Trim(strings.TrimSpace(val), `"'`)
				if val != "" && placeholder.IsNumber(val) {
					return true
				}
			}
		}
	}
	return false
}
