package yamlx

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Type is the JSON type kubectl gives a YAML scalar.
type Type uint8

const (
	TypeString Type = iota + 1
	TypeBool
	TypeInt
	TypeFloat
	TypeNull
	// TypeNonFinite is .inf/-.inf/.nan: kubectl cannot encode it as JSON and fails before sending.
	TypeNonFinite
	// TypeInvalid is a scalar whose explicit tag does not fit its value (`!!int abc`): kubectl fails.
	TypeInvalid
)

func (t Type) String() string {
	return [...]string{"?", "string", "boolean", "integer", "number", "null", "non-finite number", "invalid"}[t]
}

// Resolve reports the JSON type that kubectl gives a scalar node. kubectl
// reads YAML with sigs.k8s.io/yaml, which decodes with yaml.v2 (a YAML 1.1
// resolver) and marshals the result as JSON; this function reproduces that
// resolver, so that `yes`, `0x1F` and `1_000` are not strings while dates and
// `12:30` are. Quoted and block scalars are strings unless explicitly tagged.
func Resolve(n *Node) Type {
	if n == nil || n.Kind() != Scalar {
		return 0
	}
	tag := n.Tag()
	implicit := n.Style() == Plain
	if tag == "" && !implicit {
		return TypeString
	}
	switch tag {
	case "", "!!str", "!!bool", "!!int", "!!float", "!!null", "!!timestamp":
	case "!!binary":
		return TypeString
	default:
		// Unknown tags keep the value as written: a string.
		return TypeString
	}
	rt := resolvePlain(tag, n.Value())
	var want Type
	switch tag {
	case "", "!!str":
		return rt
	case "!!timestamp":
		if isTimestamp(n.Value()) {
			return TypeString
		}
		return TypeInvalid
	case "!!bool":
		want = TypeBool
	case "!!int":
		want = TypeInt
	case "!!float":
		want = TypeFloat
	case "!!null":
		want = TypeNull
	}
	switch {
	case rt == want:
		return rt
	case want == TypeFloat && rt == TypeInt:
		return TypeFloat
	case want == TypeFloat && rt == TypeNonFinite:
		return TypeNonFinite
	}
	return TypeInvalid
}

// yamlStyleFloat is compiled on first use (as are the package's other
// regexps and tables): a run on files that never need it does not pay for it
// at start-up.
var yamlStyleFloat = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
})

// resolvePlain mirrors yaml.v2's resolve() for a plain scalar (or one with a resolvable tag).
func resolvePlain(tag, in string) Type {
	if tag == "!!str" {
		return TypeString
	}
	switch in {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return TypeBool
	case "", "~", "null", "Null", "NULL":
		return TypeNull
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return TypeNonFinite
	case "<<":
		return TypeString // a merge key; as a value it stays a string
	}
	c := in[0]
	switch {
	case c == '.':
		if _, err := strconv.ParseFloat(in, 64); err == nil {
			return TypeFloat
		}
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if tag == "" || tag == "!!timestamp" {
			if isTimestamp(in) {
				// yaml.v2 keeps timestamps as strings when decoding into interface{}.
				return TypeString
			}
		}
		plain := strings.ReplaceAll(in, "_", "")
		if !numberChars(plain) {
			// No parse below can accept it (quantities: 500m, 64Mi):
			// skip them, and the error each one allocates.
			return TypeString
		}
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return TypeInt
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return TypeInt
		}
		if yamlStyleFloat().MatchString(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return TypeFloat
			}
		}
		if strings.HasPrefix(plain, "0b") {
			if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return TypeInt
			}
			if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return TypeInt
			}
		} else if strings.HasPrefix(plain, "-0b") {
			if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return TypeInt
			}
		}
	}
	return TypeString
}

// numberChars reports whether s holds only characters that the number
// parses of resolvePlain accept: digits, hexadecimal letters, the base
// prefixes' x, o and b, signs and the point (e and E of exponents are
// hexadecimal letters).
func numberChars(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		case c == 'x', c == 'X', c == 'o', c == 'O', c == '.', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}

var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, f := range timestampFormats {
		if _, err := time.Parse(f, s); err == nil {
			return true
		}
	}
	return false
}
