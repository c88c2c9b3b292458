package load

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/moby/patternmatcher"
)

// IgnoreFile is a .dockerignore (or <Dockerfile>.dockerignore) file.
type IgnoreFile struct {
	Path     string
	Patterns []IgnorePattern
	// Matcher is nil when the patterns do not compile (see Problems).
	Matcher  *patternmatcher.PatternMatcher
	Problems []Problem
	// Suppressions are the file's k8slint:ignore comments.
	Suppressions []Suppression
}

// IgnorePattern is one pattern line, normalized as BuildKit does.
type IgnorePattern struct {
	Text      string // normalized pattern, without the leading "!"
	Raw       string // the line as written (trimmed)
	Exclusion bool   // a "!" re-inclusion
	Line      int
}

// LoadIgnore reads an ignore file with the same rules as
// github.com/moby/patternmatcher/ignorefile.ReadAll, keeping each pattern's line.
func LoadIgnore(path string, data []byte) *IgnoreFile {
	f := &IgnoreFile{Path: path, Suppressions: ScanSuppressions(data, Column1Comments)}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	line := 0
	var pats []string
	for sc.Scan() {
		b := sc.Bytes()
		if line == 0 {
			b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		}
		line++
		p := string(b)
		if strings.HasPrefix(p, "#") {
			continue
		}
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		raw := p
		invert := p[0] == '!'
		if invert {
			p = strings.TrimSpace(p[1:])
		}
		if len(p) > 0 {
			p = filepath.ToSlash(filepath.Clean(p))
			if len(p) > 1 && p[0] == '/' {
				p = p[1:]
			}
		}
		f.Patterns = append(f.Patterns, IgnorePattern{Text: p, Raw: raw, Exclusion: invert, Line: line})
		if invert {
			p = "!" + p
		}
		pats = append(pats, p)
	}
	if err := sc.Err(); err != nil {
		f.Problems = append(f.Problems, Problem{Line: line + 1, Column: 1, Msg: err.Error()})
		return f
	}
	m, err := patternmatcher.New(pats)
	bad := -1
	if err == nil {
		// Compile every pattern now, so that a bad one is reported here and
		// not in a rule: a matcher compiles a pattern only when a match
		// reaches it, so each is tried alone.
		bad, err = badPattern(pats)
	}
	if err != nil {
		line := 1
		if bad < 0 {
			bad, _ = badPattern(pats)
		}
		if bad >= 0 {
			line = f.Patterns[bad].Line
		}
		f.Problems = append(f.Problems, Problem{Line: line, Column: 1, Msg: "invalid pattern: " + diag.LibraryMessage(err.Error())})
		return f
	}
	f.Matcher = m
	return f
}

// badPattern returns the index of the first pattern that does not compile
// on its own, and its error (-1, nil when all do). An exclusion is tried
// after "**", which matches every path, so that the matcher reaches it.
func badPattern(pats []string) (int, error) {
	for i, p := range pats {
		list := []string{p}
		if strings.HasPrefix(p, "!") {
			list = []string{"**", p}
		}
		one, err := patternmatcher.New(list)
		if err == nil {
			_, err = one.MatchesOrParentMatches("x")
		}
		if err != nil {
			return i, err
		}
	}
	return -1, nil
}
