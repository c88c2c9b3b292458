package load

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestDockerfileExpansion holds source expansion to what BuildKit's
// dispatcher does with the same lexer: quotes, escapes, defaults, the escape
// directive, ENV over ARG, global ARGs, stage inheritance.
func TestDockerfileExpansion(t *testing.T) {
	for _, tc := range []struct {
		name, df string
		want     string // the last COPY's first source; "?" unresolved; "!" too long
	}{
		{"quoted ENV", "FROM a\nENV MIX_ENV=\"prod\"\nCOPY config/${MIX_ENV}.exs .\n", "config/prod.exs"},
		{"single-quoted ARG", "FROM a\nARG F='x'\nCOPY \"$F\" .\n", "x"},
		{"quoted source", "FROM a\nCOPY \"app.py\" .\n", "app.py"},
		{"escaped dollar", "FROM a\nCOPY \\$HOME .\n", "$HOME"},
		{"default unset", "FROM a\nCOPY ${NOPE:-dflt}/x .\n", "?"},
		{"default of set", "FROM a\nARG V=v\nCOPY ${V:-dflt}/x .\n", "v/x"},
		{"plus of set", "FROM a\nARG V=v\nCOPY a${V:+-suffix} .\n", "a-suffix"},
		{"plus of empty", "FROM a\nARG V=\nCOPY a${V:+-suffix} .\n", "a"},
		{"ARG without default", "FROM a\nARG V\nCOPY $V .\n", "?"},
		{"global ARG", "ARG V=g\nFROM a\nARG V\nCOPY $V .\n", "g"},
		{"global ARG not redeclared", "ARG V=g\nFROM a\nCOPY $V .\n", "?"},
		{"global ARG from global", "ARG A=x\nARG B=${A}y\nFROM a\nARG B\nCOPY $B .\n", "xy"},
		{"ENV beats ARG", "FROM a\nARG V=arg\nENV V=env\nCOPY $V .\n", "env"},
		{"stage inherits ENV", "FROM a AS base\nENV D=dir\nFROM base\nCOPY $D .\n", "dir"},
		{"stage does not inherit ARG", "FROM a AS base\nARG D=dir\nFROM base\nCOPY $D .\n", "?"},
		{"escape directive", "# escape=`\nFROM a\nENV D=\"c:\\dir\"\nCOPY `$D $D/x .\n", "$D"},
		{"ENV chain", "FROM a\nENV A=a\nENV B=${A}b\nENV C=${B}c\nCOPY $C .\n", "abc"},
		{"one ENV sees the values before it", "FROM a\nENV A=a B=${A}b\nCOPY $B .\n", "?"},
		{"doubling bomb", "FROM a\nARG A0=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" + doubling(40) + "COPY ${A40} .\n", "!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			df := LoadDockerfile("Dockerfile", []byte(tc.df))
			if len(df.Problems) > 0 {
				t.Fatalf("problems: %v", df.Problems)
			}
			s := df.Copies[len(df.Copies)-1].Sources[0]
			got := s.Path
			switch {
			case s.TooLong:
				got = "!"
			case !s.Resolved:
				got = "?"
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func doubling(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "ARG A%d=${A%d}${A%d}\n", i, i-1, i-1)
	}
	return b.String()
}

// TestDockerfileChainedStages: 12,000 stages, each built on the previous
// one and adding one ENV, share their environments (no copy per stage).
func TestDockerfileChainedStages(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM alpine AS s0\nENV V0=v\n")
	for i := 1; i < 12000; i++ {
		fmt.Fprintf(&b, "FROM s%d AS s%d\nENV V%d=${V%d}\nCOPY ${V0}/f%d .\n", i-1, i, i, i-1, i)
	}
	b.WriteString("COPY ${V11999} .\n")
	// Copying the environment per stage allocates gigabytes; sharing it, tens of MB.
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	df := LoadDockerfile("Dockerfile", []byte(b.String()))
	runtime.ReadMemStats(&m1)
	t.Logf("allocated %d MiB", (m1.TotalAlloc-m0.TotalAlloc)>>20)
	if a := m1.TotalAlloc - m0.TotalAlloc; a > 256<<20 && !raceEnabled {
		t.Errorf("allocated %d MiB", a>>20)
	}
	last := df.Copies[len(df.Copies)-1].Sources[0]
	if !last.Resolved || last.Path != "v" {
		t.Errorf("last source %+v", last)
	}
}
