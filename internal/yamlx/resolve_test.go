package yamlx

import (
	"encoding/json"
	"strings"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"
)

// kubectlType is the oracle: the JSON type that sigs.k8s.io/yaml.YAMLToJSON
// (what kubectl uses) gives the value of `v:` in doc; "error" when it fails.
func kubectlType(t *testing.T, doc string) Type {
	t.Helper()
	j, err := sigsyaml.YAMLToJSON([]byte(doc))
	if err != nil {
		return TypeInvalid
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(j, &m); err != nil {
		t.Fatalf("%q: %v", doc, err)
	}
	raw := strings.TrimSpace(string(m["v"]))
	switch {
	case raw == "null" || raw == "":
		return TypeNull
	case raw == "true" || raw == "false":
		return TypeBool
	case strings.HasPrefix(raw, `"`):
		return TypeString
	case strings.ContainsAny(raw, ".eE"):
		return TypeFloat
	default:
		return TypeInt
	}
}

// TestResolveMatchesKubectl holds every verdict of Resolve against the JSON
// type that sigs.k8s.io/yaml.YAMLToJSON produces for the same document, so
// env-value-not-string can never disagree with kubectl.
func TestResolveMatchesKubectl(t *testing.T) {
	values := []string{
		// booleans in YAML 1.1 (strings in YAML 1.2)
		"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
		"y", "Y", "n", "N", "true", "True", "TRUE", "false", "False", "FALSE", "tRUE", "yES",
		// numbers
		"8004", "-1", "+1", "0", "007", "2024.11", "0x1F", "0X1F", "0o17", "017", "0b101", "-0b101",
		"1_000", "1e3", "1E3", "-1.5e-3", ".5", "5.", "+.5", "12345678901234567890", "99999999999999999999",
		"1e400", "0x", "0b", "0b2", "1_", "_1", "1__0", "0xG",
		// non-finite
		".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN",
		// strings
		"12:30", "1:20:30", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2024-1-2",
		"=", "<<", "v1.2.3", "1.2.3", "hello", "0o17x", "1,000", "$PORT", "-x", "--", "+", ".", "..",
		"~x", "nullx", "Nul", "0.0.0.0", "127.0.0.1", "1e", "e3", "1.0.0",
		// null
		"null", "Null", "NULL", "~", "",
		// quoted and block scalars
		`"8004"`, `'true'`, `"yes"`, `''`, "|\n  8004", ">-\n  true",
		// explicit tags
		"!!str 8004", "!!str true", `!!int "8004"`, `!!int 8004`, `!!float 1`, `!!float "1.5"`, `!!bool "yes"`,
		`!!bool true`, `!!null ""`, `!!int abc`, `!!float .inf`, "!!timestamp 2001-12-14", "!custom 8004",
		`!!str "x"`, `!!binary aGVsbG8=`,
	}
	for _, v := range values {
		doc := "v: " + v + "\n"
		docs := ParseStream([]byte(doc))
		if len(docs) != 1 || docs[0].Root == nil {
			t.Fatalf("%q: does not parse", doc)
		}
		n := docs[0].Root.Get("v")
		got := TypeNull
		emptyPlain := n != nil && n.Kind() == Scalar && n.Value() == "" && n.Style() == Plain && n.Tag() == ""
		if n != nil && !emptyPlain {
			got = Resolve(n)
		}
		want := kubectlType(t, doc)
		// kubectl fails on non-finite numbers when it marshals JSON, which
		// YAMLToJSON reports as an error: both are "kubectl cannot send it".
		if got == TypeNonFinite && want == TypeInvalid {
			continue
		}
		if category(got) != category(want) {
			t.Errorf("v: %s: Resolve says %v, kubectl (sigs.k8s.io/yaml) gives %v", v, got, want)
		}
	}
}

// category folds integer and number together: the JSON kubectl sends does
// not tell 1000 from 1e3, and both are rejected as env values alike.
func category(t Type) Type {
	if t == TypeInt {
		return TypeFloat
	}
	return t
}
