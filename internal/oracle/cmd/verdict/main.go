// Command verdict prints the API-server oracle's verdict on every YAML
// document of the files it is given, as JSON (one array of verdicts):
//
//	cd internal/oracle && go run ./cmd/verdict FILE...
//
// A directory is walked for *.yaml and *.yml files. The exit status is 0
// when every judged document is accepted, 1 when one is rejected, 2 on a
// usage or read error.
package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/oracle"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: verdict FILE|DIR...")
		os.Exit(2)
	}
	verdicts := []verdict{}
	for _, arg := range os.Args[1:] {
		err := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || (path != arg && !isYAML(path)) {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, v := range oracle.CheckStream(path, data) {
				verdicts = append(verdicts, withRules(v))
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "verdict:", err)
			os.Exit(2)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(verdicts); err != nil {
		fmt.Fprintln(os.Stderr, "verdict:", err)
		os.Exit(2)
	}
	for _, v := range verdicts {
		if v.Judged && !v.Accepted {
			os.Exit(1)
		}
	}
}

// verdict is an oracle verdict whose errors also name the k8slint rules
// that report them.
type verdict struct {
	oracle.Verdict
	Errors []ruledError `json:"errors,omitempty"`
	Then   []ruledError `json:"then,omitempty"`
}

type ruledError struct {
	oracle.Error
	Rules []string `json:"rules,omitempty"`
}

func withRules(v oracle.Verdict) verdict {
	conv := func(es []oracle.Error) []ruledError {
		var out []ruledError
		for _, e := range es {
			out = append(out, ruledError{e, oracle.RulesFor(e)})
		}
		return out
	}
	return verdict{Verdict: v, Errors: conv(v.Errors), Then: conv(v.Then)}
}

func isYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}
