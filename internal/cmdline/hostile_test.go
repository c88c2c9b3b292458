package cmdline

import (
	"strings"
	"testing"
	"time"
)

// Scripts from linted files are hostile input: deep nesting and long
// scripts must stay fast.
func TestHostileScripts(t *testing.T) {
	// The bound catches quadratic work (minutes), not slow machines; the
	// race detector slows the parser tenfold.
	limit := 5 * time.Second
	if raceEnabled {
		limit *= 6
	}
	for name, script := range map[string]string{
		"nested blocks": strings.Repeat("{ ", 20000) + "redis-server" + strings.Repeat("; }", 20000),
		"nested subst":  strings.Repeat("echo $(", 5000) + "x" + strings.Repeat(")", 5000),
		"long list":     strings.Repeat("redis-server --bind 127.0.0.1 && ", 20000) + "true",
		"nested sh -c":  strings.Repeat("sh -c '", 1) + strings.Repeat("sh -c x; ", 1000) + "'",
		"unterminated":  "if then else " + strings.Repeat("'", 10001),
		"many heredocs": strings.Repeat("cat <<EOF\nredis-server\nEOF\n", 5000),
	} {
		start := time.Now()
		Commands(words("sh", "-c", script), scriptAt)
		d := time.Since(start)
		t.Logf("%s: %v", name, d)
		if d > limit {
			t.Errorf("%s: %v", name, d)
		}
	}
}

func FuzzCommands(f *testing.F) {
	for _, s := range []string{"if [ -f x ]; then redis-server --bind 127.0.0.1; fi", "time a | b && { c; } || (d)",
		"cat <<EOF\nx\nEOF\n", "sh -c 'exec gosu u é $X \"$(y)\"'", "a\\\nb 'c\nd'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		for _, c := range Commands(words("bash", "-c", script), scriptAt) {
			for _, w := range c.Argv {
				if w.Loc.Line < 1 || w.Loc.Column < 1 {
					t.Fatalf("bad position %+v for %q", w.Loc, w.Val)
				}
			}
		}
	})
}
