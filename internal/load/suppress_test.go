package load

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScanSuppressions(t *testing.T) {
	type s = Suppression
	type r = SuppressedRule
	for _, tc := range []struct {
		name  string
		style CommentStyle
		src   string
		want  []Suppression
	}{
		{"yaml line above", YAMLComments, "a: 1\n# k8slint:ignore x-y -- legacy app\nb: 2\n",
			[]s{{Rules: []r{{"x-y", 18, 21}}, Reason: "legacy app", Line: 2, Column: 1, EndColumn: 35, From: 3, To: 3}}},
		{"yaml indented, stacked comments skipped", YAMLComments, "a:\n  #k8slint:ignore x,y z -- r\n  # why\n  b: 2\n",
			[]s{{Rules: []r{{"x", 19, 20}, {"y", 21, 22}, {"z", 23, 24}}, Reason: "r", Line: 2, Column: 3, EndColumn: 29, From: 4, To: 4}}},
		{"yaml trailing", YAMLComments, "value: 8004  # k8slint:ignore env -- ok\n",
			[]s{{Rules: []r{{"env", 31, 34}}, Reason: "ok", Line: 1, Column: 14, EndColumn: 40, From: 1, To: 1, Trailing: true}}},
		{"yaml no reason", YAMLComments, "# k8slint:ignore a\nb: 1\n",
			[]s{{Rules: []r{{"a", 18, 19}}, Line: 1, Column: 1, EndColumn: 19, From: 2, To: 2}}},
		{"yaml no rule", YAMLComments, "# k8slint:ignore -- why\nb: 1\n",
			[]s{{Reason: "why", Line: 1, Column: 1, EndColumn: 24, From: 2, To: 2}}},
		{"yaml inside double quotes is not a comment", YAMLComments, "a: \"x # k8slint:ignore a -- r\"\n", nil},
		{"yaml hash without blank is not a comment", YAMLComments, "a: x#k8slint:ignore a\n", nil},
		{"not the directive", YAMLComments, "# k8slint:ignored a\n# see k8slint:ignore a\nb: 1\n", nil},
		{"CRLF and BOM", YAMLComments, "\uFEFF# k8slint:ignore a -- r\r\nb: 1\r\n",
			[]s{{Rules: []r{{"a", 18, 19}}, Reason: "r", Line: 1, Column: 1, EndColumn: 24, From: 2, To: 2}}},
		{"dockerfile trailing is part of the instruction", LineComments, "RUN echo # k8slint:ignore a\n", nil},
		{"dockerfile line above", LineComments, "FROM x\n  # k8slint:ignore a -- r\nCOPY a b\n",
			[]s{{Rules: []r{{"a", 20, 21}}, Reason: "r", Line: 2, Column: 3, EndColumn: 26, From: 3, To: 3}}},
		{"dockerignore: indented # is a pattern", Column1Comments, "  # k8slint:ignore a\n*\n", nil},
		{"dockerignore line above", Column1Comments, "# k8slint:ignore a -- r\n*\n",
			[]s{{Rules: []r{{"a", 18, 19}}, Reason: "r", Line: 1, Column: 1, EndColumn: 24, From: 2, To: 2}}},
		{"unicode columns", YAMLComments, "é: 1 # k8slint:ignore a\n",
			[]s{{Rules: []r{{"a", 23, 24}}, Line: 1, Column: 6, EndColumn: 24, From: 1, To: 1, Trailing: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ScanSuppressions([]byte(tc.src), tc.style)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestDockerfileSuppressionCoversContinuation(t *testing.T) {
	df := LoadDockerfile("/x/Dockerfile", []byte("FROM x\n# k8slint:ignore a -- r\nCOPY a \\\n  b \\\n  /dst/\nRUN true\n"))
	if len(df.Suppressions) != 1 || df.Suppressions[0].From != 3 || df.Suppressions[0].To != 5 {
		t.Errorf("suppressions = %+v, want lines 3-5", df.Suppressions)
	}
}

// FuzzScanSuppressions: the columns of a comment and of its rule IDs are
// those counted from the start of the line (they are counted on
// incrementally), and every ID lies inside the comment.
func FuzzScanSuppressions(f *testing.F) {
	for _, s := range []string{
		"# k8slint:ignore a,b -- why\nx: 1\n", "k: v # k8slint:ignore é,ü,x\n", "\t# k8slint:ignore  a ,, b\n",
		"# k8slint:ignore\n", "RUN x # k8slint:ignore a\n", "\"#\" # k8slint:ignore q -- r\n",
	} {
		f.Add([]byte(s), uint8(YAMLComments))
	}
	f.Fuzz(func(t *testing.T, data []byte, style uint8) {
		st := CommentStyle(style%3 + 1)
		lines := strings.Split(strings.TrimPrefix(string(data), "\uFEFF"), "\n")
		for _, s := range ScanSuppressions(data, st) {
			if s.Line < 1 || s.Line > len(lines) {
				t.Fatalf("line %d of %d", s.Line, len(lines))
			}
			l := strings.TrimSuffix(lines[s.Line-1], "\r")
			if want := utf8.RuneCountInString(l) + 1; s.EndColumn != want {
				t.Fatalf("%q: end column %d, want %d", l, s.EndColumn, want)
			}
			for _, r := range s.Rules {
				if r.Column < s.Column || r.EndColumn > s.EndColumn || r.EndColumn-r.Column != utf8.RuneCountInString(r.ID) {
					t.Fatalf("%q: rule %+v outside comment %d-%d", l, r, s.Column, s.EndColumn)
				}
				// The ID is at its column.
				rs := []rune(l)
				if !utf8.ValidString(l) {
					continue
				}
				if got := string(rs[r.Column-1 : r.EndColumn-1]); got != r.ID {
					t.Fatalf("%q: rule %q at columns %d-%d holds %q", l, r.ID, r.Column, r.EndColumn, got)
				}
			}
		}
	})
}
