package render

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"

	"github.com/k8slint/k8slint/internal/yamlx"
)

type valuesErr struct {
	file string
	line int
	msg  string
}

// valuesIndex finds the line that sets a value: the extra values files (last
// first), then the chart's values.yaml.
type valuesIndex struct {
	files []valuesFile // highest precedence first
	set   []string     // keys given as set values (a.b), which no file sets
}

type valuesFile struct {
	path   string
	root   *yamlx.Node
	prefix []string // the subchart's key in a parent's values
}

// sub is the index for subchart name, whose own values.yaml is in dir
// (empty inside an archive): the parent's files under the subchart's key
// first, then the subchart's values.yaml.
func (vi *valuesIndex) sub(name, dir string) *valuesIndex {
	out := &valuesIndex{}
	for _, f := range vi.files {
		out.files = append(out.files, valuesFile{path: f.path, root: f.root, prefix: append(append([]string{}, f.prefix...), name)})
	}
	for _, k := range vi.set {
		if rest, ok := strings.CutPrefix(k, name+"."); ok {
			out.set = append(out.set, rest)
		}
	}
	if dir != "" {
		if root := parseValuesFile(filepath.Join(dir, "values.yaml")); root != nil {
			out.files = append(out.files, valuesFile{path: filepath.Join(dir, "values.yaml"), root: root})
		}
	}
	return out
}

// chartValues reads the extra values files and --set values (the user
// values; the chart's values.yaml is merged by Helm itself).
func chartValues(dir string, ch *chart.Chart, opts ChartOptions) (*valuesIndex, map[string]any, *valuesErr) {
	vi := &valuesIndex{}
	if root := parseValuesFile(filepath.Join(dir, "values.yaml")); root != nil {
		vi.files = append(vi.files, valuesFile{path: filepath.Join(dir, "values.yaml"), root: root})
	}
	vals := map[string]any{}
	if opts.user != nil {
		vals = opts.user
		vi.files = append(append([]valuesFile{}, opts.userIndex...), vi.files...)
	}
	for _, f := range opts.ValuesFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, &valuesErr{file: filepath.Join(dir, "Chart.yaml"), msg: "values file: " + err.Error()}
		}
		m, err := loader.LoadValues(strings.NewReader(string(data)))
		if err != nil {
			return nil, nil, &valuesErr{file: f, msg: "values file does not parse: " + oneLine(err.Error())}
		}
		vals = loader.MergeMaps(vals, m)
		if root := parseValuesFile(f); root != nil {
			vi.files = append([]valuesFile{{path: f, root: root}}, vi.files...)
		}
	}
	for _, a := range opts.Set {
		if k, _, ok := strings.Cut(a, "="); ok {
			vi.set = append(vi.set, strings.TrimSpace(k))
		}
	}
	if err := parseSet(opts.Set, vals); err != nil {
		return nil, nil, &valuesErr{file: filepath.Join(dir, "Chart.yaml"), msg: fmt.Sprintf("set values: %v", err)}
	}
	_ = ch
	return vi, vals, nil
}

func parseValuesFile(p string) *yamlx.Node {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	for _, d := range yamlx.ParseStream(yamlx.Normalize(data)) {
		if d.Root != nil {
			return d.Root
		}
	}
	return nil
}

var valuesRefRe = regexp.MustCompile(`\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)`)

// lookup returns where the values key path is set.
func (vi *valuesIndex) lookup(keys []string) (Location, bool) {
	if vi == nil {
		return Location{}, false
	}
	path := strings.Join(keys, ".")
	for _, k := range vi.set {
		if k == path || strings.HasPrefix(path, k+".") || strings.HasPrefix(k, path+".") {
			return Location{}, false
		}
	}
	for _, f := range vi.files {
		n := f.root
		var key *yamlx.Node
		for _, k := range append(append([]string{}, f.prefix...), keys...) {
			key = n.KeyNode(k)
			n = n.Get(k)
			if n == nil {
				break
			}
		}
		if n != nil && key != nil {
			return Location{File: f.path, Line: int(n.Line), Column: int(n.Column),
				Msg: fmt.Sprintf("%s is set here", strings.Join(keys, "."))}, true
		}
	}
	return Location{}, false
}

// ValuesAt returns where the values that source line line reads
// (.Values.a.b) are set, for a finding at that line.
func (o *Output) ValuesAt(line int) []Location {
	if o.values == nil || line < 1 || line > len(o.srcLine) {
		return nil
	}
	var out []Location
	seen := map[string]bool{}
	for _, m := range valuesRefRe.FindAllStringSubmatch(o.srcLine[line-1], -1) {
		keys := strings.Split(strings.TrimPrefix(m[1], "."), ".")
		if seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		if l, ok := o.values.lookup(keys); ok {
			l.Msg = fmt.Sprintf(".Values.%s is set here", strings.Join(keys, "."))
			out = append(out, l)
		}
	}
	return out
}
