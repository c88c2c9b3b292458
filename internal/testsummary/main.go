// Command testsummary reads `go test -json` on standard input, prints what
// plain `go test` prints (package results, the output of failing tests,
// build errors), and ends with one line saying which tests skipped and why.
// `make test` pipes the suite through it; it is not part of k8slint.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			os.Exit(1)
		}
	}()
	buf := map[string][]string{} // package/test -> output lines
	var skips []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Fprintln(out, sc.Text()) // not JSON: pass it through
			continue
		}
		key := e.Package + "\x00" + e.Test
		switch {
		case e.Action == "output" && e.Test == "" && e.Output == "PASS\n":
			// go test prints it only with -v or -json
		case e.Action == "build-output" || e.Action == "output" && e.Test == "":
			fmt.Fprint(out, e.Output)
		case e.Action == "output":
			buf[key] = append(buf[key], e.Output)
		case e.Action == "fail" && e.Test != "":
			fmt.Fprint(out, strings.Join(buf[key], ""))
			delete(buf, key)
		case e.Action == "skip" && e.Test != "":
			skips = append(skips, fmt.Sprintf("%s (%s)", e.Test, reason(buf[key])))
			delete(buf, key)
		case e.Action == "pass" && e.Test != "":
			delete(buf, key)
		}
	}
	if len(skips) == 0 {
		fmt.Fprintln(out, "skipped: none")
		return
	}
	sort.Strings(skips)
	fmt.Fprintf(out, "skipped %d: %s\n", len(skips), strings.Join(skips, "; "))
}

// reason is the last line a skipped test logged, without its file:line.
func reason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		if _, msg, ok := strings.Cut(l, ": "); ok && strings.Contains(l[:len(l)-len(msg)], ".go:") {
			l = msg
		}
		return l
	}
	return "no reason given"
}
