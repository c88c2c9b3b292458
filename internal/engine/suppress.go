package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
	"github.com/k8slint/k8slint/rules"
)

// IgnoreAnnotation is the object annotation that suppresses rules for the
// object: `k8slint.io/ignore: rule-id,rule-id`, on the object or on its pod template.
const IgnoreAnnotation = load.IgnoreAnnotation

// unsuppressible reports whether a rule's findings cannot be suppressed by
// a comment or an annotation (Rule.NoInline).
func unsuppressible(id string) bool {
	r := rules.ByID(id)
	return r != nil && r.NoInline
}

// ignore is one suppression: a comment (file lines From..To) or an annotation (an object's lines).
type ignore struct {
	file     string
	from, to int
	ids      []load.SuppressedRule
	used     []bool
	reason   string
	line     int // where the comment or annotation value is
	col, end int
	trailing bool
	object   *workspace.Object // for annotations
	index    map[string][]int  // positions in ids by ID, for long lists
}

// suppressor is the pipeline stage between the rules and the report.
type suppressor struct {
	byFile map[string][]*ignore
	all    []*ignore
	// skips maps a Dockerfile to its `# check=skip=` names (lower case).
	skips map[string][]string
	// ran is the set of rules that ran in this run.
	ran     map[string]bool
	dropped []diag.Finding // the findings that ignores suppressed
}

func newSuppressor(ws *workspace.Workspace, comments map[string][]load.Suppression, ran map[string]bool) *suppressor {
	s := &suppressor{byFile: map[string][]*ignore{}, skips: map[string][]string{}, ran: ran}
	for file, list := range comments {
		for _, c := range list {
			s.add(&ignore{file: file, from: c.From, to: c.To, ids: c.Rules, reason: c.Reason,
				line: c.Line, col: c.Column, end: c.EndColumn, trailing: c.Trailing})
		}
	}
	s.addAnnotations(ws)
	for _, df := range ws.Dockerfiles {
		for _, name := range df.CheckSkip {
			s.skips[df.Path] = append(s.skips[df.Path], strings.ToLower(name))
		}
	}
	sort.SliceStable(s.all, func(i, j int) bool {
		a, b := s.all[i], s.all[j]
		if a.file != b.file {
			return a.file < b.file
		}
		return a.line < b.line
	})
	return s
}

func (s *suppressor) add(ig *ignore) {
	ig.used = make([]bool, len(ig.ids))
	s.byFile[ig.file] = append(s.byFile[ig.file], ig)
	s.all = append(s.all, ig)
}

// addAnnotations reads k8slint.io/ignore on every object and pod template.
// An object's lines run from its first key to the line before the next
// object of its file (block scalars, like an embedded redis.conf, included).
func (s *suppressor) addAnnotations(ws *workspace.Workspace) {
	// Only the files whose text can hold the annotation are looked at, and
	// only those that have it are grouped and sorted (most projects have
	// none).
	maybe := map[string]bool{}
	for _, mf := range ws.Manifests {
		if !mf.NoIgnoreAnnotation {
			maybe[mf.Path] = true
		}
	}
	if len(maybe) == 0 {
		return
	}
	annotated := map[string]bool{}
	templates := map[*workspace.Object][]*yamlx.Node{}
	for _, t := range ws.Templates {
		if !maybe[t.Object.File] {
			continue
		}
		if v := t.Meta.Get("annotations").Get(IgnoreAnnotation); v != nil {
			templates[t.Object] = append(templates[t.Object], v)
			annotated[t.Object.File] = true
		}
	}
	for _, o := range ws.Objects {
		if maybe[o.File] && o.Root.Get("metadata").Get("annotations").Get(IgnoreAnnotation) != nil {
			annotated[o.File] = true
		}
	}
	if len(annotated) == 0 {
		return
	}
	byFile := map[string][]*workspace.Object{}
	for _, o := range ws.Objects {
		if annotated[o.File] {
			byFile[o.File] = append(byFile[o.File], o)
		}
	}
	for file, objs := range byFile {
		sort.SliceStable(objs, func(i, j int) bool { return objs[i].Root.Line < objs[j].Root.Line })
		for i, o := range objs {
			from, to := int(o.Root.Line), math.MaxInt32
			if i+1 < len(objs) {
				to = max(from, int(objs[i+1].Root.Line)-1)
			}
			values := templates[o]
			if v := o.Root.Get("metadata").Get("annotations").Get(IgnoreAnnotation); v != nil {
				values = append([]*yamlx.Node{v}, values...)
			}
			for _, v := range values {
				if v.Kind() != yamlx.Scalar {
					continue
				}
				ig := &ignore{file: file, from: from, to: to, object: o, line: int(v.Line), col: int(v.Column), end: int(v.EndColumn())}
				ig.ids, ig.reason = parseAnnotation(v)
				s.add(ig)
			}
		}
	}
}

// parseAnnotation reads "rule-a,rule-b [-- reason]", with the column of each
// ID when the value is on one line.
func parseAnnotation(v *yamlx.Node) ([]load.SuppressedRule, string) {
	text, reason, _ := strings.Cut(v.Value(), "--")
	base := -1 // column of the value's first character, when known
	if v.EndLine() == v.Line && v.EndColumn() > 0 {
		switch v.Style() {
		case yamlx.Plain:
			base = int(v.Column)
		case yamlx.SingleQuoted, yamlx.DoubleQuoted:
			base = int(v.Column) + 1
		}
	}
	var ids []load.SuppressedRule
	// Columns are counted on from the previous ID (counting from the
	// value's start for each would be quadratic on a long value).
	lastOff, lastCol := 0, 0
	col := func(off int) int {
		lastCol += utf8.RuneCountInString(text[lastOff:off])
		lastOff = off
		return base + lastCol
	}
	for i := 0; i < len(text); {
		for i < len(text) && strings.ContainsRune(" \t\n,", rune(text[i])) {
			i++
		}
		j := i
		for j < len(text) && !strings.ContainsRune(" \t\n,", rune(text[j])) {
			j++
		}
		if j > i {
			r := load.SuppressedRule{ID: text[i:j], Column: int(v.Column), EndColumn: int(v.EndColumn())}
			if base > 0 {
				r.Column = col(i)
				r.EndColumn = col(j)
			}
			ids = append(ids, r)
		}
		i = j
	}
	return ids, strings.TrimSpace(reason)
}

// apply drops the findings that an ignore covers and marks those ignores used.
func (s *suppressor) apply(fs []diag.Finding) []diag.Finding {
	out := fs[:0]
	for _, f := range fs {
		if !unsuppressible(f.Rule) && (s.covered(f) || s.buildKitSkipped(f)) {
			s.dropped = append(s.dropped, f)
			continue
		}
		out = append(out, f)
	}
	return out
}

func (s *suppressor) covered(f diag.Finding) bool {
	hit := false
	for _, ig := range s.byFile[f.File] {
		if f.Line < ig.from || f.Line > ig.to {
			continue
		}
		if len(ig.ids) > 8 && ig.index == nil {
			// A long list of IDs is looked up, not scanned, for every finding.
			ig.index = map[string][]int{}
			for i, r := range ig.ids {
				ig.index[r.ID] = append(ig.index[r.ID], i)
			}
		}
		if ig.index != nil {
			for _, i := range ig.index[f.Rule] {
				ig.used[i] = true
				hit = true
			}
			continue
		}
		for i, r := range ig.ids {
			if r.ID == f.Rule {
				ig.used[i] = true
				hit = true
			}
		}
	}
	return hit
}

func (s *suppressor) buildKitSkipped(f diag.Finding) bool {
	r := rules.ByID(f.Rule)
	if r == nil || r.BuildKitCheck == "" {
		return false
	}
	check := r.BuildKitCheck
	skipped := func(file string) bool {
		for _, name := range s.skips[file] {
			if name == "all" || name == strings.ToLower(check) {
				return true
			}
		}
		return false
	}
	if skipped(f.File) {
		return true
	}
	for _, r := range f.Related {
		if skipped(r.File) {
			return true
		}
	}
	return false
}

// findings returns the findings about the ignores themselves: unused ones
// (unused-ignore) and comments without a reason (ignore-without-reason).
func (s *suppressor) findings() []diag.Finding {
	var out []diag.Finding
	unused := func(ig *ignore, col, end int, msg, detail, fix string) {
		if !s.ran[rules.UnusedIgnore.ID] {
			return
		}
		out = append(out, diag.Finding{
			Rule: rules.UnusedIgnore.ID, Severity: rules.UnusedIgnore.Severity,
			Location: diag.Location{File: ig.file, Line: ig.line, Column: col, EndLine: ig.line, EndColumn: end},
			Message:  msg, Detail: detail, Fix: fix,
		})
	}
	for _, ig := range s.all {
		what := "k8slint:ignore"
		if ig.object != nil {
			what = IgnoreAnnotation
		}
		if len(ig.ids) == 0 {
			unused(ig, ig.col, ig.end, what+" names no rule", "it suppresses nothing", "write `# k8slint:ignore rule-id -- reason` (rule IDs: k8slint rules)")
			continue
		}
		if ig.object == nil && ig.reason == "" && s.ran[rules.IgnoreWithoutReason.ID] {
			// The headline names a few IDs, not a whole (perhaps huge) list.
			ids := make([]string, 0, 4)
			for i, r := range ig.ids {
				if i == 3 && len(ig.ids) > 4 {
					ids = append(ids, fmt.Sprintf("(and %d more)", len(ig.ids)-3))
					break
				}
				ids = append(ids, r.ID)
			}
			out = append(out, diag.Finding{
				Rule: rules.IgnoreWithoutReason.ID, Severity: rules.IgnoreWithoutReason.Severity,
				Location: diag.Location{File: ig.file, Line: ig.line, Column: ig.col, EndLine: ig.line, EndColumn: ig.end},
				Message:  fmt.Sprintf("k8slint:ignore %s gives no reason", strings.Join(ids, ",")),
				Detail:   "reviewers cannot tell a checked exception from a silenced bug",
				Fix:      "add \" -- \" and why the finding does not apply here",
			})
		}
		for i, r := range ig.ids {
			if ig.used[i] {
				continue
			}
			switch {
			case rules.ByID(r.ID) == nil:
				fix := "correct the rule ID (k8slint rules lists them)"
				if ig.object == nil && ig.reason == "" && i > 0 {
					fix += ", or, if this word is part of a reason, write the reason after \" -- \""
				}
				unused(ig, r.Column, r.EndColumn, fmt.Sprintf("%s names %q, which is not a k8slint rule", what, r.ID), "it suppresses nothing", fix)
			case unsuppressible(r.ID):
				unused(ig, r.Column, r.EndColumn, fmt.Sprintf("%s findings cannot be suppressed by an ignore", r.ID), "this suppresses nothing", "disable the rule or lower its severity in .k8slint.yaml")
			case !s.ran[r.ID]:
				// The rule did not run: whether the ignore matches cannot be known.
			case ig.object != nil:
				unused(ig, r.Column, r.EndColumn, fmt.Sprintf("%s: %s has no finding in %s %q", IgnoreAnnotation, r.ID, ig.object.Kind, clipName(ig.object.Name)),
					"this suppresses nothing", "remove it from the annotation")
			default:
				where := fmt.Sprintf("on line %d, the line this comment applies to (the next line that is not a comment)", ig.from)
				switch {
				case ig.trailing:
					where = "on this line"
				case ig.to > ig.from:
					where = fmt.Sprintf("on lines %d-%d, the instruction this comment applies to", ig.from, ig.to)
				}
				unused(ig, r.Column, r.EndColumn, fmt.Sprintf("k8slint:ignore %s suppresses nothing", r.ID), "the rule has no finding "+where,
					"put the comment on the line above the finding (or at the end of its line in YAML), or remove it")
			}
		}
	}
	return out
}

// suppressorBeside starts building the suppressor (it reads every object's
// annotations: a serial pass over the workspace) and returns a function
// that waits for it, so that the caller runs the rules meanwhile. It reads
// only the workspace and the comments, which nothing writes any more. With
// one job it is built when waited for.
func suppressorBeside(jobs int, build func() *suppressor) func() *suppressor {
	if jobs <= 1 {
		return build
	}
	ch := make(chan *suppressor, 1)
	go func() { ch <- build() }()
	return func() *suppressor { return <-ch }
}

// clipName shortens an object's name for a headline.
func clipName(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
