package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/diag"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): only the
// parts k8slint fills in.

// SRCROOT is the uriBaseId that every artifact location is relative to: the project root.
const SRCROOT = "%SRCROOT%"

// FingerprintKey names k8slint's entry in result.partialFingerprints.
const FingerprintKey = "k8slint/v1"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult            `json:"results"`
	ColumnKind         string                   `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
}

type sarifRuleConfig struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           *int              `json:"ruleIndex,omitempty"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

var semverRe = regexp.MustCompile(`^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

// SARIF writes a SARIF 2.1.0 log with one run. Paths are relative to the
// project root (in.Root) under the uriBaseId %SRCROOT%.
func SARIF(w io.Writer, in *Input) error {
	root := in.root()
	src := newSources(in.ReadFile)
	driver := sarifDriver{
		Name: "k8slint", Version: in.Version, InformationURI: InformationURI,
		Rules: make([]sarifRule, 0, len(in.Rules)),
	}
	if m := semverRe.FindStringSubmatch(in.Version); m != nil {
		driver.SemanticVersion = m[1]
	}
	index := map[string]int{}
	for i, r := range in.Rules {
		index[r.ID] = i
		page := RuleMarkdown(r)
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: ruleName(r.ID),
			ShortDescription:     sarifText{Text: strings.TrimSpace(r.Summary)},
			FullDescription:      sarifText{Text: fullDescription(r)},
			Help:                 sarifText{Text: page, Markdown: page},
			HelpURI:              r.DocURL,
			DefaultConfiguration: sarifRuleConfig{Enabled: !r.Disabled, Level: Word(r.Severity, SARIFFormat)},
		})
	}
	run := sarifRun{
		Tool:       sarifTool{Driver: driver},
		Results:    make([]sarifResult, 0, len(in.Findings)),
		ColumnKind: "unicodeCodePoints",
	}
	if root != "" {
		// No uri: the log is posted publicly, and the consumer (code
		// scanning, an editor) knows where its checkout is.
		run.OriginalURIBaseIDs = map[string]sarifArtifact{SRCROOT: {Description: &sarifText{Text: "The project root: the directory with .git (or .k8slint.yaml) that k8slint linted."}}}
	}
	fp := fingerprinter{seen: map[string]int{}}
	for _, f := range in.Findings {
		res := sarifResult{
			RuleID:    f.Rule,
			Level:     Word(f.Severity, SARIFFormat),
			Message:   sarifMessage(root, f),
			Locations: []sarifLocation{{PhysicalLocation: physical(root, f.Location, src)}},
		}
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		for i, r := range f.Related {
			id := i + 1
			l := sarifLocation{ID: &id, PhysicalLocation: physical(root, r, src)}
			if r.Message != "" {
				l.Message = &sarifText{Text: r.Message}
			}
			res.RelatedLocations = append(res.RelatedLocations, l)
		}
		res.PartialFingerprints = map[string]string{FingerprintKey: fp.of(f, artifact(root, f.File).URI, src)}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifMessage is the headline, detail and fix, with each related location
// linked from the text (`[the ignore pattern](1)`) so that code review
// shows it.
func sarifMessage(root string, f diag.Finding) sarifText {
	text := sarifLinkText(f.Text()) // literal brackets are escaped where links may occur
	var md strings.Builder
	md.WriteString(mdEscape(f.Message))
	if f.Detail != "" {
		md.WriteString("\n\n" + mdEscape(f.Detail))
	}
	if f.Fix != "" {
		md.WriteString("\n\n**Fix:** " + mdEscape(f.Fix))
	}
	for i, r := range f.Related {
		label := r.Message
		if label == "" {
			label = "related location"
		}
		where := locString(root, r)
		text += fmt.Sprintf("\n[%s](%d): %s", sarifLinkText(where), i+1, sarifLinkText(label))
		fmt.Fprintf(&md, "\n\n[%s](%d): %s", sarifLinkText(where), i+1, mdEscape(label))
	}
	return sarifText{Text: text, Markdown: md.String()}
}

// sarifLinkText escapes what would end an embedded link's text.
func sarifLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s)
}

// mdEscape keeps a plain message plain in Markdown.
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "*", `\*`, "_", `\_`, "<", "&lt;").Replace(s)
}

// ruleName turns a rule ID into the PascalCase name SARIF suggests
// (env-value-not-string -> EnvValueNotString).
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func fullDescription(r RuleInfo) string {
	if p := FirstParagraph(r.Doc); p != "" {
		return p
	}
	return strings.TrimSpace(r.Summary)
}

// artifact returns the SARIF location of a file: relative to root under
// %SRCROOT% when it is inside the root, else an absolute file URI.
func artifact(root, file string) sarifArtifact {
	if file == "" {
		return sarifArtifact{URI: "unknown"}
	}
	if !filepath.IsAbs(file) {
		// A name with no place on disk (<stdin> without --stdin-filename).
		return sarifArtifact{URI: escapePath(filepath.ToSlash(file))}
	}
	if root != "" {
		if r, err := filepath.Rel(root, file); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return sarifArtifact{URI: escapePath(filepath.ToSlash(r)), URIBaseID: SRCROOT}
		}
	}
	return sarifArtifact{URI: fileURI(file, false)}
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func fileURI(path string, dir bool) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return "file://" + escapePath(p)
}

func physical(root string, l diag.Location, src *sources) sarifPhysicalLocation {
	pl := sarifPhysicalLocation{ArtifactLocation: artifact(root, l.File)}
	if l.Line <= 0 {
		return pl
	}
	reg := &sarifRegion{StartLine: l.Line, EndLine: l.Line}
	if l.Column > 0 {
		reg.StartColumn = l.Column
	}
	switch {
	case l.EndLine > 0 && l.EndColumn > 0:
		reg.EndLine, reg.EndColumn = l.EndLine, l.EndColumn
	case l.EndLine > 0:
		reg.EndLine = l.EndLine
	case l.EndColumn > 0:
		reg.EndColumn = l.EndColumn
	default:
		// The end is not known: the region runs to the end of the line.
		if text, ok := src.line(l.File, l.Line); ok {
			if end := utf8.RuneCountInString(text) + 1; end > max(reg.StartColumn, 1) {
				reg.EndColumn = end
			}
		}
	}
	if reg.EndLine < reg.StartLine || reg.EndLine == reg.StartLine && reg.EndColumn > 0 && reg.EndColumn <= reg.StartColumn {
		reg.EndLine, reg.EndColumn = reg.StartLine, 0
	}
	pl.Region = reg
	return pl
}

// fingerprinter computes partialFingerprints that do not depend on line
// numbers: the rule, the file, the text of the flagged line (trimmed) and
// the flagged span, and an ordinal among findings with the same key (in
// file order). Moving unrelated lines changes none of these.
type fingerprinter struct {
	seen map[string]int
}

var digitsRe = regexp.MustCompile(`[0-9]+`)

func (fp *fingerprinter) of(f diag.Finding, uri string, src *sources) string {
	key := f.Rule + "\x00" + uri + "\x00"
	if text, ok := src.line(f.File, f.Line); ok && strings.TrimSpace(text) != "" {
		key += strings.TrimSpace(text) + "\x00"
		if f.Column > 0 && (f.EndLine == 0 || f.EndLine == f.Line) && f.EndColumn > f.Column {
			r := []rune(text)
			if f.EndColumn-1 <= len(r) {
				key += string(r[f.Column-1 : f.EndColumn-1])
			}
		} else if f.Column > 0 {
			key += strconv.Itoa(f.Column)
		}
	} else {
		// No source text (standard input, a file that is gone): the message
		// without its numbers, which are mostly line numbers.
		key += digitsRe.ReplaceAllString(f.Message, "#")
	}
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:16])
	n := fp.seen[h]
	fp.seen[h] = n + 1
	return h + ":" + strconv.Itoa(n+1)
}

// sources reads source lines on demand, once per file.
type sources struct {
	read  func(string) ([]byte, error)
	files map[string][]string
}

// newSources looks the text of reported files up with read, which hands
// over the bytes already loaded (nil: no text, so no snippets): a reporter
// never opens a file again, so a file that became a FIFO after loading
// cannot hang it and a file that changed meanwhile cannot disagree.
func newSources(read func(string) ([]byte, error)) *sources {
	if read == nil {
		read = func(string) ([]byte, error) { return nil, fs.ErrNotExist }
	}
	return &sources{read: read, files: map[string][]string{}}
}

func (s *sources) line(path string, n int) (string, bool) {
	lines, ok := s.files[path]
	if !ok {
		if filepath.IsAbs(path) {
			if data, err := s.read(path); err == nil {
				text := strings.TrimPrefix(string(data), "\uFEFF")
				lines = strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
			}
		}
		s.files[path] = lines
	}
	if n < 1 || n > len(lines) {
		return "", false
	}
	return lines[n-1], true
}
