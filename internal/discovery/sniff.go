package discovery

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
)

var argName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// sniffLimit is how much of a file Sniff reads.
const sniffLimit = 64 << 10

// Sniff tells the kind of a regular file whose name says nothing (one named
// on the command line) from its first bytes: a Dockerfile when its first
// instruction is FROM or ARG, or it starts with a `# syntax=` (or another
// parser) directive; a manifest when it has top-level apiVersion and kind
// keys (YAML, or JSON with both keys).
func Sniff(path string) (Kind, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, sniffLimit))
	if err != nil {
		return 0, false
	}
	return SniffBytes(data)
}

// SniffBytes is Sniff on a file's first bytes.
func SniffBytes(data []byte) (Kind, bool) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if isDockerfile(data) {
		return Dockerfile, true
	}
	var api, kind bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), sniffLimit)
	for sc.Scan() {
		l := sc.Text()
		api = api || strings.HasPrefix(l, "apiVersion:")
		kind = kind || strings.HasPrefix(l, "kind:")
	}
	if api && kind {
		return Manifest, true
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' && bytes.Contains(t, []byte(`"apiVersion"`)) && bytes.Contains(t, []byte(`"kind"`)) {
		return Manifest, true
	}
	return 0, false
}

// isDockerfile: the first line that is not blank or a comment is a FROM or
// ARG instruction, or a comment before it is a parser directive.
func isDockerfile(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), sniffLimit)
	directives := true
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "#") {
			if directives {
				k, _, ok := strings.Cut(strings.TrimSpace(l[1:]), "=")
				switch strings.ToLower(strings.TrimSpace(k)) {
				case "syntax", "escape", "check":
					if ok {
						return true
					}
				}
			}
			directives = false
			continue
		}
		f := strings.Fields(l)
		for len(f) > 1 && strings.HasPrefix(f[1], "--") {
			f = append(f[:1], f[2:]...) // FROM --platform=...
		}
		switch strings.ToUpper(f[0]) {
		case "FROM": // FROM image, or FROM image AS name
			return len(f) == 2 || len(f) == 4 && strings.EqualFold(f[2], "as")
		case "ARG": // ARG NAME[=value]...
			name, _, _ := strings.Cut(f[min(1, len(f)-1)], "=")
			return len(f) > 1 && argName.MatchString(name)
		}
		return false
	}
	return false
}
