package load

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/moby/buildkit/frontend/dockerfile/command"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/util/suggest"
)

// Dockerfile is a parsed Dockerfile with every COPY/ADD resolved.
type Dockerfile struct {
	Path   string
	Stages []Stage
	Copies []*Copy
	// Execs are the ENTRYPOINT and CMD instructions.
	Execs []*Exec
	// CheckSkip lists the BuildKit check names skipped by a `# check=skip=...`
	// directive ("all" skips every check).
	CheckSkip []string
	Problems  []Problem
	// Notes say what was not judged and why (shown with -v).
	Notes  []Problem
	escape rune
	// Suppressions are the file's k8slint:ignore comments; one above an
	// instruction continued over several lines covers all of them.
	Suppressions []Suppression
}

// Stage is a build stage (FROM ... AS name).
type Stage struct {
	Name     string
	BaseName string
	Line     int
	// Workdir is the stage's working directory at its end (where its
	// ENTRYPOINT and CMD run), after every WORKDIR (relative ones joined,
	// variables expanded), inherited from an earlier stage it is built
	// FROM: absolute, or "" when it is not known (no WORKDIR, so the base
	// image's, or one whose value the Dockerfile does not give).
	Workdir string
}

// Copy is one COPY or ADD instruction.
type Copy struct {
	Command  string // "COPY" or "ADD"
	Stage    int
	Line     int
	EndLine  int
	From     string // --from value (empty for the build context)
	Heredoc  bool   // has inline heredoc sources
	Sources  []*Source
	Dest     string
	Parents  bool
	Excludes []string
	// Original is the instruction as written.
	Original string
	// Workdir is the stage's working directory at the instruction (see
	// Stage.Workdir): a relative Dest is relative to it.
	Workdir string
}

// ImageDest is where a copy from the build context writes in the image:
// its destination made absolute with the WORKDIR it was written under, and
// whether the sources go into it as a directory (a trailing slash, ".", or
// several sources). ok is false for a copy from another stage or of a
// heredoc, and for a relative destination whose WORKDIR is unknown.
func (c *Copy) ImageDest() (to string, intoDir, ok bool) {
	if c.From != "" || c.Heredoc {
		return "", false, false
	}
	to = c.Dest
	if !path.IsAbs(to) {
		if c.Workdir == "" {
			return "", false, false
		}
		to = path.Join(c.Workdir, to)
	}
	intoDir = strings.HasSuffix(c.Dest, "/") || strings.HasSuffix(c.Dest, "/.") || c.Dest == "." || len(c.Sources) > 1
	return path.Clean(to), intoDir, true
}

// Exec is an ENTRYPOINT or CMD instruction.
type Exec struct {
	Command string // "ENTRYPOINT" or "CMD"
	Stage   int
	Line    int
	// Words are the exec-form arguments, or the shell-form command line split at blanks.
	Words []string
	// Shell is set for the shell form (`CMD redis-server /etc/redis.conf`):
	// CmdLine then holds one script that the image's shell runs.
	Shell bool
	// CmdLine is the instruction's arguments as BuildKit parsed them: the
	// exec-form words, or the shell-form script.
	CmdLine []string
	// Pos holds the line and column of each CmdLine element (0 when not
	// found): the start of each exec-form word, or of the script.
	Pos []ExecPos
}

// ExecPos is where an ENTRYPOINT or CMD argument starts; Exact is set when
// the argument's text (inside its quotes) is written there as it is, so
// that offsets inside it map to columns.
type ExecPos struct {
	Line, Column int
	Exact        bool
}

// DistinctSources returns the instruction's sources without repeats of the
// same word: a rule reports a source once, however often it is listed.
func (c *Copy) DistinctSources() []*Source {
	seen := make(map[string]bool, len(c.Sources))
	out := make([]*Source, 0, len(c.Sources))
	for _, s := range c.Sources {
		if !seen[s.Raw] {
			seen[s.Raw] = true
			out = append(out, s)
		}
	}
	return out
}

// Source is one source argument of a COPY/ADD.
type Source struct {
	Raw string // as written
	// Path is Raw after ARG/ENV expansion, valid when Resolved.
	Path string
	// Resolved is false when the source uses a variable whose value the
	// Dockerfile does not give (a build argument without default, or an ENV
	// of the base image): its real value is unknown.
	Resolved bool
	// TooLong: the expansion exceeded the bound; the source is not judged.
	TooLong bool
	sc      scope // the variables the source sees
	// Remote is set for URLs and git sources.
	Remote                  bool
	Line, Column, EndColumn int
}

// LoadDockerfile parses a Dockerfile with BuildKit's parser.
func LoadDockerfile(path string, data []byte) *Dockerfile {
	df := &Dockerfile{Path: path}
	df.CheckSkip = checkSkip(data)
	df.Suppressions = ScanSuppressions(data, LineComments)
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		p := problemOf(err)
		if strings.Contains(err.Error(), "line greater than max allowed size") {
			// BuildKit's scanner stops at a line over 64 KiB without saying which.
			for i, l := range bytes.Split(data, []byte("\n")) {
				if len(l) > 65535 {
					p.Line = i + 1
					break
				}
			}
		}
		df.Problems = append(df.Problems, p)
		return df
	}
	for i := range df.Suppressions {
		s := &df.Suppressions[i]
		for _, node := range res.AST.Children {
			if node.StartLine == s.From && node.EndLine > s.To {
				s.To = node.EndLine
			}
		}
	}
	lines := splitLines(data)
	x := &expander{escape: res.EscapeToken, budget: expansionBudget}
	df.escape = res.EscapeToken

	// meta holds the global ARGs (before the first FROM); cur is the current
	// stage's scope; stageEnv the final ENV chain of each named stage.
	var meta *varDef
	var cur scope
	stageEnv := map[string]*varDef{}
	stageDir := map[string]string{}
	workdir := "" // the current stage's WORKDIR ("" unknown)
	stageName := ""
	stage := -1
	endStage := func() {
		if stage >= 0 && stageName != "" {
			stageEnv[stageName] = cur.env
			stageDir[stageName] = workdir
		}
	}
	for _, node := range res.AST.Children {
		cmd, err := instructions.ParseInstruction(node)
		if err != nil {
			var unknown *instructions.UnknownInstructionError
			if errors.As(err, &unknown) {
				df.Problems = append(df.Problems, Problem{Line: node.StartLine, Column: 1, Msg: unknownInstruction(unknown)})
				continue
			}
			p := problemOfAt(err, node.StartLine)
			p.Msg = stripSuggestion(p.Msg)
			df.Problems = append(df.Problems, p)
			continue
		}
		switch c := cmd.(type) {
		case *instructions.Stage:
			endStage()
			stage++
			r := x.expand(c.BaseName, scope{args: meta})
			base := c.BaseName
			if r.resolved {
				base = r.value
			}
			// A stage built on an earlier one inherits its ENV and WORKDIR, not its ARGs.
			cur = scope{env: stageEnv[strings.ToLower(base)]}
			workdir = stageDir[strings.ToLower(base)]
			df.Stages = append(df.Stages, Stage{Name: strings.ToLower(c.Name), BaseName: base, Line: node.StartLine, Workdir: workdir})
			stageName = strings.ToLower(c.Name)
		case *instructions.WorkdirCommand:
			if stage >= 0 {
				workdir = joinWorkdir(workdir, x.expand(c.Path, cur))
				df.Stages[stage].Workdir = workdir
			}
		case *instructions.ArgCommand:
			before := cur
			for _, a := range c.Args {
				d := &varDef{key: a.Key, isArg: true}
				switch {
				case a.Value != nil:
					d.raw, d.known = *a.Value, true
					if stage < 0 {
						d.scope = scope{args: meta}
					} else {
						d.scope = before
					}
				case stage >= 0:
					// `ARG X` in a stage: the global ARG X's value, else a
					// build argument (here: one given from outside).
					if d.alias = meta.find(a.Key); d.alias == nil {
						d.alias = &varDef{key: a.Key, isArg: true}
					}
				}
				if stage < 0 {
					d.parent, meta = meta, d
				} else {
					d.parent, cur.args = cur.args, d
				}
			}
		case *instructions.EnvCommand:
			if stage < 0 {
				continue
			}
			// Every value of one ENV sees the variables as they were before it.
			before := cur
			for _, kv := range c.Env {
				cur.env = &varDef{key: kv.Key, raw: kv.Value, known: true, scope: before, parent: cur.env}
			}
		case *instructions.CopyCommand:
			df.addCopy(node, lines, "COPY", stage, c.From, c.SourcesAndDest, c.Parents, c.ExcludePatterns, x, cur)
			df.Copies[len(df.Copies)-1].Workdir = workdir
		case *instructions.AddCommand:
			df.addCopy(node, lines, "ADD", stage, "", c.SourcesAndDest, false, c.ExcludePatterns, x, cur)
			df.Copies[len(df.Copies)-1].Workdir = workdir
		case *instructions.EntrypointCommand:
			df.Execs = append(df.Execs, newExec("ENTRYPOINT", stage, node, lines, c.CmdLine, c.PrependShell))
		case *instructions.CmdCommand:
			df.Execs = append(df.Execs, newExec("CMD", stage, node, lines, c.CmdLine, c.PrependShell))
		}
	}
	return df
}

// joinWorkdir applies a WORKDIR to the working directory dir ("" unknown):
// an absolute path replaces it, a relative one is joined to it.
func joinWorkdir(dir string, r expandResult) string {
	if !r.resolved || r.tooLong || r.value == "" {
		return ""
	}
	if path.IsAbs(r.value) {
		return path.Clean(r.value)
	}
	if dir == "" {
		return ""
	}
	return path.Join(dir, r.value)
}

func (df *Dockerfile) addCopy(node *parser.Node, lines []string, cmd string, stage int, from string, sd instructions.SourcesAndDest, parents bool, excludes []string, x *expander, sc scope) {
	cp := &Copy{
		Command: cmd, Stage: stage, Line: node.StartLine, EndLine: node.EndLine,
		From: from, Heredoc: len(sd.SourceContents) > 0, Dest: sd.DestPath,
		Parents: parents, Excludes: excludes, Original: node.Original,
	}
	finder := newWordFinder(lines, node.StartLine, node.EndLine)
	for _, raw := range sd.SourcePaths {
		s := &Source{Raw: raw, Line: node.StartLine, Column: 1}
		s.Remote = isRemote(raw)
		if stage >= 0 {
			s.sc = sc
			r := x.expand(raw, sc)
			s.Path, s.Resolved, s.TooLong = r.value, r.resolved, r.tooLong
			if r.tooLong {
				df.Notes = append(df.Notes, Problem{Line: node.StartLine, Column: 1,
					Msg: fmt.Sprintf("%s source %q not judged: its expansion exceeds %d bytes", cmd, truncate(raw, 40), maxExpansion)})
			}
		}
		if l, c, ec, ok := finder.find(raw); ok {
			s.Line, s.Column, s.EndColumn = l, c, ec
		}
		cp.Sources = append(cp.Sources, s)
	}
	df.Copies = append(df.Copies, cp)
}

func newExec(command string, stage int, node *parser.Node, lines []string, cmdLine []string, shell bool) *Exec {
	e := &Exec{Command: command, Stage: stage, Line: node.StartLine, Words: execWords(cmdLine, shell),
		Shell: shell, CmdLine: cmdLine, Pos: make([]ExecPos, len(cmdLine))}
	if shell {
		// The script starts after the keyword; it is written as parsed
		// when the instruction holds one line.
		if len(cmdLine) == 1 && node.StartLine-1 < len(lines) {
			l := lines[node.StartLine-1]
			i := len(l) - len(strings.TrimLeft(l, " \t"))
			for i < len(l) && l[i] != ' ' && l[i] != '\t' {
				i++
			}
			for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
				i++
			}
			exact := node.EndLine == node.StartLine && strings.HasPrefix(l[i:], cmdLine[0])
			e.Pos[0] = ExecPos{Line: node.StartLine, Column: utf8.RuneCountInString(l[:i]) + 1, Exact: exact}
		}
		return e
	}
	finder := newWordFinder(lines, node.StartLine, node.EndLine)
	for i, w := range cmdLine {
		if l, c, _, ok := finder.find(w); ok {
			e.Pos[i] = ExecPos{Line: l, Column: c, Exact: true}
		}
	}
	return e
}

// WithBuildArgs returns the Dockerfile with its COPY/ADD sources expanded as
// a build given these build arguments expands them (compose build.args): an
// argument replaces the value of the ARG of its name, global or in a stage;
// a nil value is an argument whose value is unknown. Arguments that no ARG
// declares change nothing, as in BuildKit.
func (df *Dockerfile) WithBuildArgs(args map[string]*string) *Dockerfile {
	if len(args) == 0 {
		return df
	}
	x := &expander{escape: df.escape, budget: expansionBudget, args: args}
	out := *df
	out.Copies = make([]*Copy, len(df.Copies))
	for i, cp := range df.Copies {
		c := *cp
		c.Sources = make([]*Source, len(cp.Sources))
		for j, s := range cp.Sources {
			ns := *s
			if cp.Stage >= 0 {
				r := x.expand(s.Raw, s.sc)
				ns.Path, ns.Resolved, ns.TooLong = r.value, r.resolved, r.tooLong
			}
			c.Sources[j] = &ns
		}
		out.Copies[i] = &c
	}
	return &out
}

func execWords(cmdLine []string, shell bool) []string {
	if !shell {
		return cmdLine
	}
	var out []string
	for _, l := range cmdLine {
		out = append(out, strings.Fields(l)...)
	}
	return out
}

// instructionNames are BuildKit's instruction names, sorted.
var instructionNames = sync.OnceValue(func() []string {
	names := make([]string, 0, len(command.Commands))
	for name := range command.Commands {
		names = append(names, strings.ToUpper(name))
	}
	sort.Strings(names)
	return names
})

// unknownInstruction words an unknown instruction error as BuildKit does,
// with its "did you mean" suggestion made deterministic: BuildKit searches
// the names in map order, so between two names as close (A -> ADD or ARG)
// its choice changes from run to run.
//
// The word is quoted as an excerpt, and cut after a '=': a line of a file
// that is no Dockerfile (`AWS_SECRET_ACCESS_KEY=...`) is never quoted whole.
func unknownInstruction(e *instructions.UnknownInstructionError) string {
	word := e.Instruction
	if i := strings.IndexByte(word, '='); i >= 0 {
		word = word[:i+1] + "…"
	}
	msg := "unknown instruction: " + diag.Excerpt(word)
	if m, ok := suggest.Search(e.Instruction, instructionNames(), false); ok {
		msg += " (did you mean " + m + "?)"
	}
	return msg
}

// stripSuggestion drops a " (did you mean X?)" suggestion that BuildKit
// chose among options in map order (unknown flags), so that the output is
// the same on every run.
func stripSuggestion(msg string) string {
	if i := strings.LastIndex(msg, " (did you mean "); i >= 0 && strings.HasSuffix(msg, "?)") {
		return msg[:i]
	}
	return msg
}

func isRemote(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "git@")
}

// truncate shortens s to at most n bytes (at a rune boundary) for a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func splitLines(data []byte) []string {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.Split(s, "\n")
}

// wordFinder locates successive words of an instruction in its source lines.
type wordFinder struct {
	lines      []string
	line, col  int // search position: line (1-based) and byte offset
	start, end int
	// The rune column of byte offset runeOff on line runeLine: columns are
	// counted from there, so that many words on one line stay linear.
	runeLine, runeOff, runeCol int
}

// column returns the 1-based rune column of byte offset i of line ln.
func (w *wordFinder) column(ln, i int) int {
	if ln != w.runeLine || i < w.runeOff {
		w.runeLine, w.runeOff, w.runeCol = ln, 0, 1
	}
	w.runeCol += utf8.RuneCountInString(w.lines[ln-1][w.runeOff:i])
	w.runeOff = i
	return w.runeCol
}

func newWordFinder(lines []string, start, end int) *wordFinder {
	w := &wordFinder{lines: lines, line: start, start: start, end: end}
	// Skip the instruction keyword.
	if start-1 < len(lines) {
		l := lines[start-1]
		i := len(l) - len(strings.TrimLeft(l, " \t"))
		for i < len(l) && l[i] != ' ' && l[i] != '\t' {
			i++
		}
		w.col = i
	}
	return w
}

func (w *wordFinder) find(word string) (line, col, endCol int, ok bool) {
	if word == "" {
		return 0, 0, 0, false
	}
	for ln, off := w.line, w.col; ln <= w.end && ln-1 < len(w.lines); ln, off = ln+1, 0 {
		l := w.lines[ln-1]
		if off > len(l) {
			continue
		}
		for from := off; ; {
			i := strings.Index(l[from:], word)
			if i < 0 {
				break
			}
			i += from
			j := i + len(word)
			// Must be a whole word (not part of a flag or a longer path).
			before := i == 0 || strings.ContainsRune(" \t[\",=", rune(l[i-1]))
			after := j == len(l) || strings.ContainsRune(" \t]\",\\", rune(l[j]))
			if before && after {
				w.line, w.col = ln, j
				c := w.column(ln, i)
				return ln, c, c + utf8.RuneCountInString(word), true
			}
			from = i + 1
		}
	}
	return 0, 0, 0, false
}

// checkSkip reads BuildKit's `# check=skip=A,B` parser directive with
// BuildKit's own directive and lint-option parsers ("all" skips every check).
func checkSkip(data []byte) []string {
	v, _, _, ok := parser.ParseDirective("check", data)
	if !ok {
		return nil
	}
	cfg, err := linter.ParseLintOptions(v)
	if err != nil {
		return nil
	}
	if cfg.SkipAll {
		return []string{"all"}
	}
	var names []string
	for _, n := range cfg.SkipRules {
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}

func problemOf(err error) Problem {
	return problemOfAt(err, 1)
}

func problemOfAt(err error, defLine int) Problem {
	p := Problem{Line: defLine, Column: 1, Msg: diag.LibraryMessage(err.Error())}
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		if l := le.Locations[0][0].Start.Line; l > 0 {
			p.Line = l
		}
	}
	return p
}
