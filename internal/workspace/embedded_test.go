package workspace

import (
	"testing"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/yamlx"
)

func TestTextPos(t *testing.T) {
	doc := "data:\n" +
		"  a: |\n" + //        2: literal
		"    bind 127.0.0.1\n" +
		"    port 1\n" +
		"  b: bind 127.0.0.1\n" + // 5: plain
		"  c: \"bind 127.0.0.1\"\n" + // 6: double-quoted
		"  d: \"bind\\t127.0.0.1\"\n" + // 7: escape: inexact
		"  e: >\n" + //        8: folded: inexact
		"    bind 127.0.0.1\n" +
		"  f: 'it''s'\n" // 10: '' escape: inexact
	data := yamlx.ParseStream([]byte(doc))[0].Root.Get("data")
	cases := []struct {
		key          string
		l, c         int // position in the text
		wantL, wantC int
		exact        bool
	}{
		{"a", 1, 6, 3, 10, true},
		{"a", 2, 1, 4, 5, true},
		{"b", 1, 6, 5, 11, true},
		{"c", 1, 6, 6, 12, true},
		{"d", 1, 6, 7, 6, false},
		{"e", 1, 6, 8, 6, false},
		{"f", 1, 2, 10, 6, false},
	}
	for _, c := range cases {
		pos, exact := TextPos(data.Get(c.key))
		l, col := pos(c.l, c.c)
		if l != c.wantL || col != c.wantC || exact != c.exact {
			t.Errorf("%s (%d,%d): got %d:%d exact %v, want %d:%d exact %v", c.key, c.l, c.c, l, col, exact, c.wantL, c.wantC, c.exact)
		}
	}
}

func TestEmbeddedConfsAndMounts(t *testing.T) {
	doc := `apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: ns}
data:
  redis.conf: |
    bind 127.0.0.1
  notes.txt: hello
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
  - name: c
    image: redis
    workingDir: /work
    volumeMounts:
    - {name: dir, mountPath: /etc/redis}
    - {name: one, mountPath: /one/r.conf, subPath: r.conf}
    - {name: proj, mountPath: /proj}
  volumes:
  - name: dir
    configMap: {name: cm}
  - name: one
    configMap:
      name: cm
      items: [{key: redis.conf, path: r.conf}]
  - name: proj
    projected:
      sources:
      - secret: {name: other}
      - configMap: {name: cm}
`
	b := NewBuilder(Settings{}, nil)
	b.AddManifest(load.LoadManifest("/m.yaml", []byte(doc)))
	ws := b.Build()
	if len(ws.Confs) != 1 || ws.Confs[0].Origin == nil || ws.Confs[0].Origin.Key != "redis.conf" {
		t.Fatalf("confs: %+v", ws.Confs)
	}
	cf := ws.EmbeddedConf("ConfigMap", "ns", "cm", "redis.conf")
	if cf == nil || cf.Directives[0].Line != 6 || cf.Directives[0].Args[0].Column != 10 {
		t.Fatalf("embedded conf: %+v", cf)
	}
	c := ws.Templates[0].Containers()[0]
	for p, want := range map[string]bool{
		"/etc/redis/redis.conf":          true,
		"/etc/redis/../redis/redis.conf": true,
		"/etc/redis/notes.txt":           false, // in the ConfigMap, but not a config
		"/etc/redis/other.conf":          false,
		"/one/r.conf":                    true,
		"/proj/redis.conf":               true,
		"../etc/redis/redis.conf":        true, // relative to workingDir /work
		"/etc/redisx/redis.conf":         false,
	} {
		got, _ := ws.MountedConf(c, p)
		if (got == cf) != want {
			t.Errorf("MountedConf(%q) = %v, want %v", p, got != nil, want)
		}
	}
	if ws.EmbeddedConf("ConfigMap", "", "cm", "redis.conf") != nil {
		t.Error("a ConfigMap in namespace ns must not be found in the default namespace")
	}
}
