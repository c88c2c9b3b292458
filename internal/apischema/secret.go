package apischema

import (
	"fmt"
	"strings"
	"sync"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// secretKeys are the data keys a Secret type requires (ValidateSecret,
// k8s.io/kubernetes pkg/apis/core/validation v1.37); basic-auth needs one
// of its two.
var secretKeys = map[string][]string{
	"kubernetes.io/dockercfg":        {".dockercfg"},
	"kubernetes.io/dockerconfigjson": {".dockerconfigjson"},
	"kubernetes.io/ssh-auth":         {"ssh-privatekey"},
	"kubernetes.io/tls":              {"tls.crt", "tls.key"},
}

const serviceAccountNameKey = "kubernetes.io/service-account.name"

// secretRequired checks what a Secret's type requires: its data keys
// (stringData is merged into data before validation) and, for a
// service-account token, the annotation naming the ServiceAccount.
func (w *walker) secretRequired(n *yamlx.Node) {
	tn := n.Get("type")
	typ := tn.Str()
	if tn == nil || tn.Kind() != yamlx.Scalar || strings.Contains(typ, "{{") {
		return
	}
	if typ == "kubernetes.io/service-account-token" {
		meta := n.Get("metadata")
		if set(meta.Path("annotations", serviceAccountNameKey)) {
			return
		}
		w.secretProblem(tn, "metadata.annotations["+serviceAccountNameKey+"]", serviceAccountNameKey,
			fmt.Sprintf("add the annotation %s: <the ServiceAccount's name> under metadata.annotations", serviceAccountNameKey))
		return
	}
	keys := secretKeys[typ]
	if len(keys) == 0 && typ != "kubernetes.io/basic-auth" {
		return
	}
	data, sdata := n.Get("data"), n.Get("stringData")
	if !mappingOrAbsent(data) || !mappingOrAbsent(sdata) {
		return // another rule's business
	}
	// The API server asks that the key exists, even empty; the SSH key
	// must not be empty.
	has := func(k string) bool {
		if k == "ssh-privatekey" {
			return set(data.Get(k)) || set(sdata.Get(k))
		}
		return data.KeyNode(k) != nil || sdata.KeyNode(k) != nil
	}
	if typ == "kubernetes.io/basic-auth" {
		if !has("username") && !has("password") {
			for _, k := range []string{"username", "password"} {
				w.secretProblem(tn, "data["+k+"]", k, "add username or password (or both) under data or stringData")
			}
		}
		return
	}
	for _, k := range keys {
		if !has(k) {
			w.secretProblem(tn, "data["+k+"]", k, fmt.Sprintf("add the key %s under data (base64) or stringData: a %s Secret holds it", k, typ))
		}
	}
}

func mappingOrAbsent(n *yamlx.Node) bool {
	return n == nil || n.Kind() == yamlx.Mapping || (n.Kind() == yamlx.Scalar && scalarType(n) == yamlx.TypeNull)
}

// secretProblem reports a missing key at the Secret's type.
func (w *walker) secretProblem(at *yamlx.Node, path, key, fix string) {
	p := w.missingProblem(at, key, "")
	p.Node = at
	p.Path, p.Short = path, path
	p.Fix = fix
	*w.out = append(*w.out, p)
}

// secretTypeOf is the type of core/v1.Secret, found once.
var secretTypeOf = sync.OnceValues(func() (Type, bool) { return Type(0).lookupID("core/v1.Secret") })

func (w *walker) secretType() Type {
	if t, ok := secretTypeOf(); ok {
		return t
	}
	return ^Type(0)
}
