package cli

import (
	"flag"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/config"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/render"
	"github.com/k8slint/k8slint/internal/report"
	"github.com/k8slint/k8slint/rules"
)

// loadConfig reads the file given with --config, else the .k8slint.yaml
// nearest to cwd between it and its project root; nil when there is none.
func loadConfig(explicit, cwd string) (*config.Config, error) {
	root := discovery.Root(cwd)
	if explicit != "" {
		return readConfig(explicit, root, cwd, true)
	}
	path := discovery.ConfigFor(cwd, root)
	if path == "" {
		return nil, nil
	}
	return readConfig(path, root, cwd, false)
}

// displayPath shows path relative to the working directory when it is at or
// above it (.k8slint.yaml, ../.k8slint.yaml), else as it is.
func displayPath(cwd, path string) string {
	if rel, err := filepath.Rel(cwd, path); err == nil && !filepath.IsAbs(rel) {
		up := strings.Count(rel, ".."+string(filepath.Separator))
		if !strings.HasPrefix(rel, "..") || up == strings.Count(rel, string(filepath.Separator)) {
			return rel
		}
	}
	return path
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// applyConfig fills the engine options from the configuration. Settings
// already given (by command-line flags) win.
func applyConfig(cfg *config.Config, o *engine.Options) {
	if len(cfg.Enable) > 0 || len(cfg.Disable) > 0 {
		pick := rules.All()
		if len(cfg.Enable) > 0 {
			pick = nil
			for _, id := range cfg.Enable {
				pick = append(pick, rules.ByID(id))
			}
		}
		off := map[string]bool{}
		for _, id := range cfg.Disable {
			off[id] = true
		}
		o.Rules = []*rules.Rule{}
		for _, r := range pick {
			if !off[r.ID] {
				o.Rules = append(o.Rules, r)
			}
		}
	}
	if len(cfg.Severity) > 0 {
		sev := map[string]diag.Severity{}
		for id, s := range cfg.Severity {
			sev[id] = s
		}
		for id, s := range o.Severity {
			sev[id] = s
		}
		o.Severity = sev
	}
	if len(cfg.Exclude) > 0 {
		o.BaseExcludes = append(o.BaseExcludes, cfg.Exclude...)
		o.ExcludeBase = cfg.Dir
	}
	if len(o.Settings.Nodes) == 0 {
		o.Settings.Nodes = cfg.Nodes
	}
	if o.Settings.KubeVersion == "" {
		o.Settings.KubeVersion = cfg.KubeVersion
	}
	o.CRDFiles = append(o.CRDFiles, cfg.CRDs...)
	if len(cfg.Units) > 0 {
		o.Settings.Units, o.Settings.UnitBase = cfg.Units, cfg.Dir
	}
	for _, g := range cfg.BuildContextGlobs {
		o.ContextGlobs = append(o.ContextGlobs, engine.ContextGlob{Base: cfg.Dir, Glob: g.Glob, Dir: g.Dir})
	}
	for dir, c := range cfg.Charts {
		if o.Charts == nil {
			o.Charts = map[string]engine.ChartConfig{}
		}
		o.Charts[dir] = engine.ChartConfig{Disabled: c.Disabled, ChartOptions: render.ChartOptions{
			Release: c.Release, Namespace: c.Namespace, ValuesFiles: c.ValuesFiles, Set: c.Set}}
	}
	if len(cfg.BuildContexts) > 0 {
		ctx := map[string]string{}
		for df, dir := range cfg.BuildContexts {
			ctx[df] = dir
		}
		for df, dir := range o.Contexts {
			ctx[df] = dir
		}
		o.Contexts = ctx
	}
}

// ruleInfosFor returns the metadata of every rule as this run configures
// it: effective severities, and the rules that do not run marked disabled.
func ruleInfosFor(o engine.Options) []report.RuleInfo {
	infos := engine.RuleInfos(rules.All())
	var on map[string]bool
	if o.Rules != nil {
		on = map[string]bool{}
		for _, r := range o.Rules {
			on[r.ID] = true
		}
	}
	for i := range infos {
		if s, ok := o.Severity[infos[i].ID]; ok {
			infos[i].Severity = s
		}
		if on != nil && !on[infos[i].ID] {
			infos[i].Disabled = true
		}
	}
	return infos
}
