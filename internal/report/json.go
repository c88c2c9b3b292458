package report

import (
	"encoding/json"
	"io"
)

type jsonFinding struct {
	Rule      string         `json:"rule"`
	Severity  string         `json:"severity"`
	File      string         `json:"file"`
	Line      int            `json:"line"`
	Column    int            `json:"column"`
	EndLine   int            `json:"endLine"`
	EndColumn int            `json:"endColumn"`
	Message   string         `json:"message"`
	Detail    string         `json:"detail,omitempty"`
	Fix       string         `json:"fix,omitempty"`
	Related   []jsonLocation `json:"related"`
}

type jsonLocation struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonSummary struct {
	Files    int `json:"files"`
	Findings int `json:"findings"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// JSON writes {"findings": [...], "summary": {...}}.
func JSON(w io.Writer, in *Input) error {
	out := struct {
		Findings []jsonFinding `json:"findings"`
		Summary  jsonSummary   `json:"summary"`
	}{Findings: make([]jsonFinding, 0, len(in.Findings))}
	for _, f := range in.Findings {
		jf := jsonFinding{
			Rule: f.Rule, Severity: Word(f.Severity, TextFormat), File: RelPath(in.Base, f.File),
			Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
			Message: f.Message, Detail: f.Detail, Fix: f.Fix, Related: []jsonLocation{},
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonLocation{File: RelPath(in.Base, r.File), Line: r.Line, Column: r.Column, Message: r.Message})
		}
		out.Findings = append(out.Findings, jf)
	}
	c := Count(in.Findings)
	out.Summary = jsonSummary{Files: in.Files, Findings: len(in.Findings), Errors: c.Errors, Warnings: c.Warnings, Infos: c.Infos}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
