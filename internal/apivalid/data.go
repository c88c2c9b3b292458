package apivalid

import (
	"encoding/base64"
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

const keyFix = "a key is at most 253 characters of letters, digits, '-', '_' and '.' (a file name without '/'), not '.' or '..'"

// dataKeys checks the keys of a data map with IsConfigMapKey.
func (c *checker) dataKeys(m *yamlx.Node, p *field.Path) {
	m.Pairs(func(k, v *yamlx.Node) {
		if IsPlaceholder(k.Value()) {
			return
		}
		for _, msg := range validation.IsConfigMapKey(k.Value()) {
			kp := p.Key(k.Value())
			c.add(Problem{Node: k, Err: field.Invalid(kp, k.Value(), msg), Fix: keyFix})
		}
	})
}

// configMap checks ValidateConfigMap: key names, keys in both data and
// binaryData, binaryData that is not base64.
func (c *checker) configMap() {
	root := c.o.Root
	c.dataKeys(root.Get("data"), field.NewPath("data"))
	c.dataKeys(root.Get("binaryData"), field.NewPath("binaryData"))
	bin := root.Get("binaryData")
	root.Get("data").Pairs(func(k, v *yamlx.Node) {
		if bin.KeyNode(k.Value()) != nil {
			c.add(Problem{Node: k, Err: field.Invalid(field.NewPath("data").Key(k.Value()), k.Value(), "duplicate of key present in binaryData"),
				Fix: "keep the key in data or in binaryData, not both", Related: []diag.Location{c.loc(bin.KeyNode(k.Value()), "the binaryData key")}})
		}
	})
	c.base64(bin, "binaryData")
}

// secret checks ValidateSecret's key names (data and stringData, which the
// API server merges into data) and data that is not base64.
func (c *checker) secret() {
	root := c.o.Root
	c.dataKeys(root.Get("data"), field.NewPath("data"))
	c.dataKeys(root.Get("stringData"), field.NewPath("data"))
	c.base64(root.Get("data"), "data")
}

// base64 checks values that the decoder reads into []byte: standard
// base64 with padding (encoding/json ignores line breaks).
func (c *checker) base64(m *yamlx.Node, key string) {
	m.Pairs(func(k, v *yamlx.Node) {
		s, ok := str(v)
		if !ok || IsPlaceholder(s) {
			return
		}
		if _, err := base64.StdEncoding.DecodeString(stripNewlines(s)); err != nil {
			c.add(Problem{Node: v, Decode: err.Error(), Short: fmt.Sprintf("%s[%s]: value is not base64", key, k.Value()),
				Fix: fmt.Sprintf("encode the value (echo -n 'value' | base64)%s", map[bool]string{true: ", or move it under stringData, which takes plain text", false: ""}[key == "data"])})
		}
	})
}

func stripNewlines(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\n' && s[i] != '\r' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// pvc checks a PersistentVolumeClaim's spec.
func (c *checker) pvc() { c.pvcSpec(c.o.Root.Get("spec"), specPath) }

// pvcSpec checks ValidatePersistentVolumeClaimSpec: access modes, volume
// mode and the storage request.
func (c *checker) pvcSpec(spec *yamlx.Node, p *field.Path) {
	modes := []string{"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"}
	for _, m := range spec.Get("accessModes").Items() {
		v, ok := str(m)
		if !ok || v == "" || has(modes, v) || IsTemplated(v) {
			continue
		}
		c.add(Problem{Node: m, Err: field.NotSupported(p.Child("accessModes"), v, modes), Fix: enumFix(v, modes)})
	}
	c.enumKey(spec, "volumeMode", p, "", []string{"Block", "Filesystem"})
	n := spec.Path("resources", "requests", "storage")
	rp := p.Child("resources").Key("storage")
	q, ok, bad := c.memo.quantity(n)
	switch {
	case bad != "":
		c.add(Problem{Node: n, Decode: bad, Short: fmt.Sprintf("%s.resources.requests.storage: %q is not a quantity", p.String(), n.Value()), Fix: quantityFix(n.Value())})
	case ok && q.Sign() <= 0:
		c.add(Problem{Node: n, Err: field.Invalid(rp, q.String(), "must be greater than zero"), Fix: "request a size such as 1Gi"})
	}
}
