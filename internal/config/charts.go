package config

import (
	"k8s.io/apimachinery/pkg/util/validation"
	"os"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Chart is the configuration of one Helm chart (the charts: section).
type Chart struct {
	// ValuesFiles are extra values files (absolute), applied after the
	// chart's values.yaml in order, as helm template -f does.
	ValuesFiles []string
	// Set are key=value assignments, as helm template --set takes them.
	Set []string
	// Release and Namespace replace helm template's "release-name" and "default".
	Release, Namespace string
	// Disabled charts are not rendered.
	Disabled bool
}

var chartKeys = []string{"values", "set", "release", "namespace", "enabled"}

// charts reads `charts: {path/to/chart: {values: [...], set: [...], release: x, namespace: y, enabled: true}}`.
func (p *parser) charts(n *yamlx.Node) {
	if n.Kind() != yamlx.Mapping {
		p.errf(int(n.Line), "charts must be a mapping of chart directory to its settings, not %s", describe(n))
		return
	}
	n.Pairs(func(k, v *yamlx.Node) {
		rel, ok := p.str(k, "charts key")
		if !ok {
			return
		}
		dir := p.abs(rel)
		if st, err := os.Stat(filepath.Join(dir, "Chart.yaml")); err != nil || st.IsDir() {
			p.errf(int(k.Line), "charts: %q is not a chart directory (no Chart.yaml; paths are relative to %s)", rel, p.file)
			return
		}
		c := Chart{}
		what := "charts." + rel
		p.mapping(v, what, chartKeys, func(key string, ck, cv *yamlx.Node) {
			if cv.IsNull() {
				return
			}
			switch key {
			case "values":
				for _, it := range p.list(cv, what+".values") {
					f, ok := p.str(it, what+".values item")
					if !ok {
						continue
					}
					abs := p.abs(f)
					if !filepath.IsAbs(f) && !strings.HasPrefix(f, "/") {
						// relative to the chart, as helm template -f in the chart directory
						if _, err := os.Stat(abs); err != nil {
							abs = filepath.Join(dir, filepath.FromSlash(f))
						}
					}
					if st, err := os.Stat(abs); err != nil || st.IsDir() {
						p.errf(int(it.Line), "%s.values: file %q does not exist (paths are relative to %s or to the chart)", what, f, p.file)
						continue
					}
					c.ValuesFiles = append(c.ValuesFiles, abs)
				}
			case "set":
				for _, it := range p.list(cv, what+".set") {
					s, ok := p.str(it, what+".set item")
					if !ok {
						continue
					}
					if i := strings.Index(s, "="); i <= 0 {
						p.errf(int(it.Line), "%s.set: %q is not key=value (as helm --set takes it: image.tag=1.2.3)", what, s)
						continue
					}
					c.Set = append(c.Set, s)
				}
			case "release", "namespace":
				s, ok := p.str(cv, what+"."+key)
				if !ok {
					return
				}
				// Helm's own check: a release name is a DNS-1123 label of at
				// most 53 characters; a namespace, a DNS-1123 label.
				if len(validation.IsDNS1123Label(s)) > 0 || key == "release" && len(s) > 53 {
					p.errf(int(cv.Line), "%s.%s: %q is not a valid name (lower case letters, digits and '-', at most 53 characters for a release)", what, key, s)
					return
				}
				if key == "release" {
					c.Release = s
				} else {
					c.Namespace = s
				}
			case "enabled":
				b, ok := cv.Bool()
				if !ok || cv.Kind() != yamlx.Scalar {
					p.errf(int(cv.Line), "%s.enabled must be true or false, not %s", what, describe(cv))
					return
				}
				c.Disabled = !b
			}
		})
		if p.cfg.Charts == nil {
			p.cfg.Charts = map[string]Chart{}
		}
		p.cfg.Charts[dir] = c
	})
}
