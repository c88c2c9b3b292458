package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
)

func findings() []diag.Finding {
	return []diag.Finding{
		{Rule: "a-rule", Severity: diag.Error, Location: diag.Location{File: "/p/deploy/web.yaml", Line: 3, Column: 5, EndLine: 3, EndColumn: 9},
			Message: "50% of it, a: b\nnext", Related: []diag.Location{{File: "/p/.dockerignore", Line: 2, Column: 1, Message: "pattern *"}}},
		{Rule: "b-rule", Severity: diag.Warning, Location: diag.Location{File: "/p/Dockerfile", Line: 7, Column: 1}, Message: "w", Detail: "why it breaks", Fix: "what to write"},
		{Rule: "c-rule", Severity: diag.Info, Location: diag.Location{File: "/p/sub dir/x,y.conf", Line: 1, Column: 2}, Message: "i"},
	}
}

func TestGitHub(t *testing.T) {
	var buf bytes.Buffer
	if err := GitHub(&buf, &Input{Findings: findings(), Files: 3, Base: "/p/deploy", Root: "/p", Rules: docURLs("a-rule", "b-rule", "c-rule")}); err != nil {
		t.Fatal(err)
	}
	want := `::error file=deploy/web.yaml,line=3,col=5,endLine=3,endColumn=9,title=k8slint a-rule%3A 50%25 of it%2C a%3A b next::50%25 of it, a: b%0Anext%0A  .dockerignore:2:1: pattern *%0A[a-rule] https://github.com/k8slint/k8slint/blob/main/docs/rules/a-rule.md
::warning file=Dockerfile,line=7,col=1,endLine=7,title=k8slint b-rule%3A w::why it breaks%0AFix: what to write%0A[b-rule] https://github.com/k8slint/k8slint/blob/main/docs/rules/b-rule.md
::notice file=sub dir/x%2Cy.conf,line=1,col=2,endLine=1,title=k8slint c-rule%3A i::i%0A[c-rule] https://github.com/k8slint/k8slint/blob/main/docs/rules/c-rule.md
k8slint: 3 problems (1 error, 1 warning, 1 info) in 3 of 3 files
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestSARIFPathsAndRegions(t *testing.T) {
	src := map[string]string{
		"/p/deploy/web.yaml": "a\nb\n    val: 1\n",
		"/p/Dockerfile":      "FROM x\n\n\n\n\n\nCOPY a b\n",
	}
	read := func(p string) ([]byte, error) { return []byte(src[p]), nil }
	var buf bytes.Buffer
	in := &Input{Findings: findings(), Base: "/p/deploy", Root: "/p", Version: "v1.2.3", ReadFile: read,
		Rules: []RuleInfo{{ID: "b-rule", Summary: "B", Severity: diag.Warning}, {ID: "a-rule", Summary: "A", Severity: diag.Error, Disabled: true}}}
	if err := SARIF(&buf, in); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					SemanticVersion string `json:"semanticVersion"`
					Rules           []struct {
						Default struct {
							Enabled bool   `json:"enabled"`
							Level   string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleIndex *int   `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation map[string]string `json:"artifactLocation"`
						Region           map[string]int    `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				RelatedLocations []struct {
					ID int `json:"id"`
				} `json:"relatedLocations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0]
	if r.Tool.Driver.SemanticVersion != "1.2.3" {
		t.Errorf("semanticVersion %q", r.Tool.Driver.SemanticVersion)
	}
	if d := r.Tool.Driver.Rules[1].Default; d.Enabled || d.Level != "error" {
		t.Errorf("disabled rule config %+v", d)
	}
	res := r.Results
	if *res[0].RuleIndex != 1 || *res[1].RuleIndex != 0 || res[2].RuleIndex != nil {
		t.Errorf("rule indexes wrong")
	}
	if res[0].Level != "error" || res[1].Level != "warning" || res[2].Level != "note" {
		t.Errorf("levels %s %s %s", res[0].Level, res[1].Level, res[2].Level)
	}
	for i, want := range []string{"deploy/web.yaml", "Dockerfile", "sub%20dir/x%2Cy.conf"} {
		a := res[i].Locations[0].PhysicalLocation.ArtifactLocation
		if a["uri"] != want || a["uriBaseId"] != "%SRCROOT%" {
			t.Errorf("result %d: artifact %v, want %s", i, a, want)
		}
	}
	if g := res[0].Locations[0].PhysicalLocation.Region; g["startLine"] != 3 || g["startColumn"] != 5 || g["endLine"] != 3 || g["endColumn"] != 9 {
		t.Errorf("region 0 = %v", g)
	}
	// An unknown end runs to the end of the line ("COPY a b" has 8 characters).
	if g := res[1].Locations[0].PhysicalLocation.Region; g["startLine"] != 7 || g["endLine"] != 7 || g["endColumn"] != 9 {
		t.Errorf("region 1 = %v", g)
	}
	if len(res[0].RelatedLocations) != 1 || res[0].RelatedLocations[0].ID != 1 {
		t.Errorf("related = %+v", res[0].RelatedLocations)
	}
	if strings.Contains(buf.String(), `"file:///p/"`) || !strings.Contains(buf.String(), `"originalUriBaseIds": {
        "%SRCROOT%": {
          "description": {`) {
		t.Errorf("%%SRCROOT%% carries the local path, or no description:\n%s", buf.String())
	}
	// The related location is linked from the message text.
	if !strings.Contains(buf.String(), `"text": "50% of it, a: b\nnext\n[.dockerignore:2:1](1): pattern *"`) {
		t.Errorf("related location not linked from the message:\n%s", buf.String())
	}
}

func TestRuleMarkdown(t *testing.T) {
	md := RuleMarkdown(RuleInfo{ID: "x-y", Summary: "Finds x.", Doc: "Why.\n\n## Bad\n", Severity: diag.Warning, BuildKitCheck: "XCheck"})
	for _, s := range []string{"# x-y\n\nFinds x.\n\nDefault severity: **warning**.\n\nWhy.", "# k8slint:ignore x-y -- ", "k8slint.io/ignore: x-y", "# check=skip=XCheck", "disable: [x-y]"} {
		if !strings.Contains(md, s) {
			t.Errorf("page lacks %q:\n%s", s, md)
		}
	}
	md = RuleMarkdown(RuleInfo{ID: "u", Summary: "U", NoInline: true})
	if strings.Contains(md, "k8slint:ignore u") || !strings.Contains(md, "cannot be suppressed") {
		t.Errorf("NoInline page:\n%s", md)
	}
}

func docURLs(ids ...string) []RuleInfo {
	var out []RuleInfo
	for _, id := range ids {
		out = append(out, RuleInfo{ID: id, DocURL: "https://github.com/k8slint/k8slint/blob/main/docs/rules/" + id + ".md"})
	}
	return out
}
