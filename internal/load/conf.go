package load

import (
	"strings"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// ConfKind tells which server a config file is for.
type ConfKind uint8

const (
	MongoConf ConfKind = iota + 1
	RedisConf
)

// ConfFile is a mongod.conf, redis.conf or sentinel.conf.
type ConfFile struct {
	Path string
	Kind ConfKind
	// YAML is the root mapping of a YAML mongod.conf (nil for the legacy
	// key = value form and for Redis).
	YAML *yamlx.Node
	// Directives are the lines of a Redis config or a legacy mongod config.
	Directives []Directive
	Problems   []Problem
	// Origin is set when the config is a value embedded in another file (a
	// ConfigMap's data); Path is then that file, and every position is
	// already translated to it.
	Origin *Origin
	// Suppressions are the file's k8slint:ignore comments.
	Suppressions []Suppression
	// Line offset: when the config is embedded in another file (a ConfigMap
	// value), positions are already translated to that file.
}

// Directive is one configuration line: a name and its arguments.
type Directive struct {
	Name string // lower-cased
	Args []Arg
	Line int
	Col  int
}

// Arg is one argument of a directive, with its columns.
type Arg struct {
	Value          string
	Column, EndCol int
}

// Pos maps a line and column of an embedded text to a file position.
type Pos func(line, col int) (int, int)

// LoadRedisConf reads a redis.conf/sentinel.conf.
func LoadRedisConf(path string, data []byte) *ConfFile {
	return &ConfFile{Path: path, Kind: RedisConf, Directives: parseRedisLines(string(data), nil),
		Suppressions: ScanSuppressions(data, LineComments)}
}

// ParseRedisText reads Redis config text embedded in another file; pos maps
// positions inside the text to the file.
func ParseRedisText(text string, pos Pos) []Directive { return parseRedisLines(text, pos) }

func parseRedisLines(text string, pos Pos) []Directive {
	var out []Directive
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		t := strings.TrimLeft(line, " \t")
		if t == "" || t[0] == '#' {
			continue
		}
		args, ok := splitRedisArgs(line)
		if !ok || len(args) == 0 {
			continue
		}
		d := Directive{Name: strings.ToLower(args[0].Value), Args: args[1:], Line: i + 1, Col: args[0].Column}
		if pos != nil {
			d.Line, d.Col = pos(i+1, d.Col)
			for j := range d.Args {
				_, d.Args[j].Column = pos(i+1, d.Args[j].Column)
				_, d.Args[j].EndCol = pos(i+1, d.Args[j].EndCol)
			}
		}
		out = append(out, d)
	}
	return out
}

// splitRedisArgs splits a line like Redis' sdssplitargs: words separated by
// blanks, "double quoted" with escapes, or 'single quoted'.
func splitRedisArgs(line string) ([]Arg, bool) {
	// Words start after blanks: their count bounds the number of arguments.
	words := 0
	for i := 0; i < len(line); i++ {
		if line[i] != ' ' && line[i] != '\t' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			words++
		}
	}
	args := make([]Arg, 0, words)
	i := 0
	// Columns count runes; col is the column of byte offset colAt, advanced
	// incrementally (a line of many arguments stays linear).
	col, colAt := 1, 0
	colOf := func(off int) int {
		col += utf8.RuneCountInString(line[colAt:off])
		colAt = off
		return col
	}
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return args, true
		}
		start := i
		var value string
		switch line[i] {
		case '"':
			i++
			from := i
			var b *strings.Builder // only for values with escapes
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) {
					if b == nil {
						b = &strings.Builder{}
						b.WriteString(line[from:i])
					}
					i++
				}
				if b != nil {
					b.WriteByte(line[i])
				}
			}
			if i >= len(line) {
				return nil, false
			}
			value = line[from:i]
			if b != nil {
				value = b.String()
			}
			i++
		case '\'':
			i++
			from := i
			for i < len(line) && line[i] != '\'' {
				i++
			}
			if i >= len(line) {
				return nil, false
			}
			value = line[from:i]
			i++
		default:
			for i < len(line) && line[i] != ' ' && line[i] != '\t' {
				i++
			}
			value = line[start:i]
		}
		c := colOf(start)
		args = append(args, Arg{Value: value, Column: c, EndCol: colOf(i)})
	}
}

// LoadMongoConf reads a mongod.conf: YAML when the file is a YAML mapping
// (as mongod reads it), else the legacy `key = value` form.
func LoadMongoConf(path string, data []byte) *ConfFile {
	cf := &ConfFile{Path: path, Kind: MongoConf}
	docs := yamlx.ParseStream(data)
	if len(docs) >= 1 && docs[0].Root != nil && docs[0].Root.Kind() == yamlx.Mapping {
		cf.YAML = docs[0].Root
		cf.Suppressions = ScanSuppressions(data, YAMLComments)
		return cf
	}
	cf.Suppressions = ScanSuppressions(data, LineComments)
	cf.Directives = ParseMongoLegacy(string(data), nil)
	if len(cf.Directives) == 0 && len(docs) >= 1 && docs[0].Err != nil {
		cf.Problems = append(cf.Problems, Problem{Line: docs[0].Err.Line, Column: docs[0].Err.Column, Msg: docs[0].Err.Msg})
	}
	return cf
}

// ParseMongoLegacy reads the legacy `key = value` form.
func ParseMongoLegacy(text string, pos Pos) []Directive {
	var out []Directive
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		if j := strings.Index(v, "#"); j >= 0 {
			v = v[:j]
		}
		key := strings.TrimSpace(k)
		val := strings.TrimSpace(v)
		kc := utf8.RuneCountInString(line[:len(line)-len(strings.TrimLeft(line, " \t"))]) + 1
		vOff := len(k) + 1 + (len(v) - len(strings.TrimLeft(v, " \t")))
		vc := utf8.RuneCountInString(line[:min(vOff, len(line))]) + 1
		d := Directive{Name: strings.ToLower(key), Line: i + 1, Col: kc,
			Args: []Arg{{Value: val, Column: vc, EndCol: vc + utf8.RuneCountInString(val)}}}
		if pos != nil {
			d.Line, d.Col = pos(i+1, d.Col)
			_, d.Args[0].Column = pos(i+1, d.Args[0].Column)
			_, d.Args[0].EndCol = pos(i+1, d.Args[0].EndCol)
		}
		out = append(out, d)
	}
	return out
}
