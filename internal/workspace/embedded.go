package workspace

import (
	"iter"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/yamlx"
)

type embedKey struct{ kind, ns, name, key string }

// addEmbeddedConfs reads the mongod and Redis configs carried in ConfigMap
// data (and Secret stringData) values and adds them to ws.Confs, with their
// origin and positions in the manifest.
func (ws *Workspace) addEmbeddedConfs() {
	ws.embedded = map[embedKey]*load.ConfFile{}
	ws.mounted = map[embedKey]bool{}
	for _, t := range ws.Templates {
		ns := t.Object.Namespace
		for _, v := range t.Spec.Get("volumes").Items() {
			for _, s := range volumeSources(v) {
				if n := s.Path("configMap", "name").Str(); n != "" {
					ws.mounted[embedKey{"ConfigMap", ns, n, ""}] = true
				}
				for _, n := range []string{s.Path("secret", "secretName").Str(), s.Path("secret", "name").Str()} {
					if n != "" {
						ws.mounted[embedKey{"Secret", ns, n, ""}] = true
					}
				}
			}
		}
	}
	for _, o := range ws.Objects {
		var data *yamlx.Node
		switch {
		case o.Kind == "ConfigMap" && o.APIVersion == "v1":
			data = o.Root.Get("data")
		case o.Kind == "Secret" && o.APIVersion == "v1":
			data = o.Root.Get("stringData")
		default:
			continue
		}
		data.Pairs(func(k, v *yamlx.Node) {
			if k.Kind() != yamlx.Scalar || v.Kind() != yamlx.Scalar || strings.TrimSpace(v.Value()) == "" {
				return
			}
			pos, exact := TextPos(v)
			cf := load.LoadEmbedded(o.File, k.Value(), v.Value(), pos)
			if cf == nil {
				return
			}
			cf.Origin = &load.Origin{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Key: k.Value(),
				Line: int(v.Line), Column: int(v.Column), Exact: exact}
			ws.Confs = append(ws.Confs, cf)
			ek := embedKey{o.Kind, o.Namespace, o.Name, k.Value()}
			if _, dup := ws.embedded[ek]; !dup {
				ws.embedded[ek] = cf
			}
		})
	}
}

// EmbeddedConf returns the config carried in a ConfigMap's data (kind
// "ConfigMap") or a Secret's stringData (kind "Secret") under key, or nil.
func (ws *Workspace) EmbeddedConf(kind, namespace, name, key string) *load.ConfFile {
	return ws.embedded[embedKey{kind, normNS(namespace), name, key}]
}

// Mounted reports whether a pod template of the tree mounts the ConfigMap
// or Secret of an embedded config as a volume.
func (ws *Workspace) Mounted(o *load.Origin) bool {
	return ws.mounted[embedKey{o.Kind, normNS(o.Namespace), o.Name, ""}]
}

// TextPos maps positions inside a scalar's value (1-based line and column
// of the text) to positions in its file. The mapping is exact for a plain or
// quoted single-line value without escapes and for a literal block scalar
// (`|`); otherwise (folded, multi-line quoted, escapes) every position maps
// to the value's start and exact is false.
func TextPos(n *yamlx.Node) (pos load.Pos, exact bool) {
	line, col := int(n.Line), int(n.Column)
	if n.Style() == yamlx.Literal && n.Indent() > 0 {
		indent := int(n.Indent())
		return func(l, c int) (int, int) { return line + l, c + indent }, true
	}
	if !strings.Contains(n.Value(), "\n") && n.EndLine() == n.Line && n.EndColumn() > 0 && n.Tag() == "" {
		width := int(n.EndColumn()-n.Column) - utf8.RuneCountInString(n.Value())
		switch {
		case n.Style() == yamlx.Plain && width == 0:
			return func(_, c int) (int, int) { return line, col + c - 1 }, true
		case (n.Style() == yamlx.DoubleQuoted || n.Style() == yamlx.SingleQuoted) && width == 2:
			return func(_, c int) (int, int) { return line, col + c }, true
		}
	}
	return func(int, int) (int, int) { return line, col }, false
}

// MountedConf returns the embedded config (see EmbeddedConf) that a
// container sees at path p, following its volumeMounts (with subPath) to
// configMap, secret and projected volumes (with items), and the volumeMount
// that brings it; nil when p is not such a file or the tree does not hold it.
// A relative p is resolved against the container's workingDir.
func (ws *Workspace) MountedConf(c Container, p string) (*load.ConfFile, *yamlx.Node) {
	if !path.IsAbs(p) {
		wd := c.Node.Get("workingDir").Str()
		if !path.IsAbs(wd) {
			return nil, nil
		}
		p = path.Join(wd, p)
	}
	p = path.Clean(p)
	best, rel := -1, ""
	var mount *yamlx.Node
	for _, m := range c.Node.Get("volumeMounts").Items() {
		mp := m.Get("mountPath").Str()
		if mp == "" || m.Get("subPathExpr") != nil {
			continue
		}
		mp = path.Clean(mp)
		sub := m.Get("subPath").Str()
		var r string
		switch {
		case sub != "":
			if p != mp {
				continue
			}
			r = path.Clean(sub)
		case strings.HasPrefix(p, strings.TrimSuffix(mp, "/")+"/"):
			r = strings.TrimPrefix(p, strings.TrimSuffix(mp, "/")+"/")
		default:
			continue
		}
		if len(mp) > best {
			best, rel, mount = len(mp), r, m
		}
	}
	if mount == nil {
		return nil, nil
	}
	ns := c.Template.Object.Namespace
	vname := mount.Get("name").Str()
	for _, v := range c.Template.Spec.Get("volumes").Items() {
		if v.Get("name").Str() != vname {
			continue
		}
		for _, s := range volumeSources(v) {
			kind, src := "ConfigMap", s.Get("configMap")
			name := src.Get("name").Str()
			if src == nil {
				kind, src = "Secret", s.Get("secret")
				name = src.Get("secretName").Str() // a secret volume
				if name == "" {
					name = src.Get("name").Str() // a projected source
				}
			}
			if src == nil || name == "" {
				continue
			}
			key := ""
			if items := src.Get("items"); items != nil {
				for _, it := range items.Items() {
					if path.Clean(it.Get("path").Str()) == rel {
						key = it.Get("key").Str()
					}
				}
			} else if !strings.Contains(rel, "/") {
				key = rel
			}
			if key == "" {
				continue
			}
			if cf := ws.EmbeddedConf(kind, ns, name, key); cf != nil {
				return cf, mount
			}
		}
		return nil, nil
	}
	return nil, nil
}

// volumeSources iterates over what a pod volume mounts: the volume itself,
// or the sources of a projected volume. (One closure, so that ranging over
// it allocates nothing.)
func volumeSources(v *yamlx.Node) iter.Seq2[int, *yamlx.Node] {
	return func(yield func(int, *yamlx.Node) bool) {
		p := v.Get("projected")
		if p == nil {
			yield(0, v)
			return
		}
		for i, s := range p.Get("sources").Items() {
			if !yield(i, s) {
				return
			}
		}
	}
}
