package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain é text":             "plain é text",
		"a\x1b[2Jb":                `a\x1b[2Jb`,
		"x\r\n::error ::forged":    `x\r\n::error ::forged`,
		"\x1b]8;;http://e\x07link": `\x1b]8;;http://e\x07link`,
		"tab\there":                `tab\there`,
		"bad\xffutf8":              `bad\xffutf8`,
		"c1\u0085\u009b":           `c1\x85\x9b`,
		"bidi\u202eevil":           `bidi\u202eevil`,
		"del\x7f":                  `del\x7f`,
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", 1000) + "\x1b"
	got := Excerpt(long)
	if n := utf8.RuneCountInString(got); n != ExcerptLen+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("Excerpt of a long string: %d runes %q", n, got)
	}
	if got := Excerpt("short\n"); got != `short\n` {
		t.Errorf("Excerpt(short) = %q", got)
	}
	if got := Quote(strings.Repeat("a", 200)); len(got) != ExcerptLen+2+len("…") {
		t.Errorf("Quote of a long string: %q", got)
	}
	if got := Quote("a\x1b"); got != `"a\x1b"` {
		t.Errorf("Quote = %s", got)
	}
}

// FuzzClean: Clean leaves no character a terminal acts on, changes text
// without such characters not at all, and Excerpt is bounded.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"plain", "a\x1b[2J", "\r\n::error ::x", "\xff\xfe", "\u202e", strings.Repeat("é", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		for _, r := range c {
			if unsafeRune(r, utf8.RuneLen(r)) || r == utf8.RuneError {
				t.Fatalf("Clean(%q) = %q holds %U", s, c, r)
			}
		}
		safe := utf8.ValidString(s)
		for _, r := range s {
			if unsafeRune(r, utf8.RuneLen(r)) {
				safe = false
			}
		}
		if safe && c != s {
			t.Fatalf("Clean changed safe text %q to %q", s, c)
		}
		if n := utf8.RuneCountInString(Excerpt(s)); n > 6*(ExcerptLen+1) { // an escape is at most 6 runes (\u200e)
			t.Fatalf("Excerpt has %d runes", n)
		}
	})
}

func TestBoundQuotes(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, c := range []struct{ in, want string }{
		{"short " + `"abc"` + " stays", "short " + `"abc"` + " stays"},
		{`name "` + long + `" is invalid`, `name "` + strings.Repeat("x", ExcerptLen) + `"… is invalid`},
		{`two "` + long + `" and "` + long + `"`, `two "` + strings.Repeat("x", ExcerptLen) + `"… and "` + strings.Repeat("x", ExcerptLen) + `"…`},
		{`unbalanced " quote then ` + long, `unbalanced " quote then ` + long},
		{`escaped "` + strings.Repeat(`\x1b`, 100) + `"`, `escaped "` + strings.Repeat(`\x1b`, ExcerptLen) + `"…`},
		{`exactly "` + strings.Repeat("y", ExcerptLen) + `" stays`, `exactly "` + strings.Repeat("y", ExcerptLen) + `" stays`},
	} {
		if got := BoundQuotes(c.in); got != c.want {
			t.Errorf("BoundQuotes(%.60q…) = %q\nwant %q", c.in, got, c.want)
		}
	}
	// Linear: a message of many quotes costs one pass.
	many := strings.Repeat(`"`+long+`" `, 10000)
	if got := BoundQuotes(many); len(got) >= len(many)/2 {
		t.Errorf("BoundQuotes kept %d of %d bytes", len(got), len(many))
	}
	f := Finding{Message: `bad "` + long + `"`, Related: []Location{{Message: `see "` + long + `"`}}}
	f.Bound()
	if strings.Contains(f.Message, long) || strings.Contains(f.Related[0].Message, long) {
		t.Errorf("Bound left a long quote: %q / %q", f.Message, f.Related[0].Message)
	}
}

func TestBoundWords(t *testing.T) {
	w := strings.Repeat("k", 500)
	cut := strings.Repeat("k", WordLen) + "…"
	for _, c := range []struct{ in, want string }{
		{"spec.template.spec.containers[0].name is fine", "spec.template.spec.containers[0].name is fine"},
		{"field spec." + w + " unknown", "field " + "spec." + strings.Repeat("k", WordLen-5) + "… unknown"},
		{w, cut},
		{w + " mid " + w, cut + " mid " + cut},
		{"é" + strings.Repeat("é", WordLen-1) + " ok", strings.Repeat("é", WordLen) + " ok"},
	} {
		if got := BoundWords(c.in); got != c.want {
			t.Errorf("BoundWords(%.40q…) = %.80q…, want %.80q…", c.in, got, c.want)
		}
	}
}

// A stray quote in a value written unquoted is not taken for a %q.
func TestBoundQuotesStray(t *testing.T) {
	in := `JSON (asd" is a string); the API server rejects the object: ReplicationController in version "v1" cannot be handled`
	if got := BoundQuotes(in); got != in {
		t.Errorf("BoundQuotes changed %q to %q", in, got)
	}
}
