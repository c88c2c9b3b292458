package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/config"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// CopyFromUnknownStage reports `COPY --from=NAME` where NAME is a typo of a
// stage of the Dockerfile: BuildKit then takes NAME for an image and the
// build fails pulling it.
var CopyFromUnknownStage = register(&Rule{
	ID:       "copy-from-unknown-stage",
	Summary:  "COPY --from names no stage, only a near miss of one, so the build pulls an image of that name and fails",
	Severity: diag.Error,
	Check:    checkCopyFromUnknownStage,
})

func checkCopyFromUnknownStage(ws *workspace.Workspace, report Report) {
	for _, df := range ws.Dockerfiles {
		for _, cp := range df.Copies {
			from := strings.ToLower(cp.From)
			if from == "" || strings.ContainsAny(from, "/:@.$") {
				continue // the build context, an image reference, or a variable
			}
			if n, err := strconv.Atoi(from); err == nil && n >= 0 && n < cp.Stage {
				continue // an earlier stage by index
			}
			near, earlier := "", false
			for i, st := range df.Stages {
				if st.Name == "" || i >= cp.Stage && st.Name != from {
					continue
				}
				if st.Name == from {
					earlier = i < cp.Stage
					near = ""
					break
				}
				if d := config.Distance(from, st.Name); d <= 2 && d < len(st.Name)/2+1 {
					near = st.Name
				}
			}
			if earlier || near == "" {
				continue // a stage, or a name that is likely an image (busybox, alpine)
			}
			report(diag.Finding{
				Location: fromLocation(df.Path, cp.Line, cp.Original),
				Message:  fmt.Sprintf("COPY --from=%s names no stage (did you mean %q?)", cp.From, near),
				Detail: fmt.Sprintf("no stage before this %s is named %q, so BuildKit takes %q for an image and the build fails pulling it (\"pull access denied\" or \"not found\")",
					cp.Command, cp.From, cp.From),
				Fix: fmt.Sprintf("write --from=%s, the stage `FROM … AS %s`", near, near),
			})
		}
	}
}

// fromLocation is the position of the --from value on the instruction's
// first line, else the instruction.
func fromLocation(file string, line int, original string) diag.Location {
	l := diag.Location{File: file, Line: line, Column: 1}
	first, _, _ := strings.Cut(original, "\n")
	if i := strings.Index(strings.ToLower(first), "--from="); i >= 0 {
		v := first[i+len("--from="):]
		if j := strings.IndexAny(v, " \t"); j >= 0 {
			v = v[:j]
		}
		col := len([]rune(first[:i+len("--from=")])) + 1
		l.Column, l.EndLine, l.EndColumn = col, line, col+len([]rune(v))
	}
	return l
}
