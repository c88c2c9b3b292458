package diag

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExcerptLen is the most runes of a file's content a message quotes.
const ExcerptLen = 80

// Excerpt is what a message may quote of a file's content: at most
// ExcerptLen runes of s (cut with "…"), its control characters escaped
// (see Clean). Messages never quote a whole line of a file they do not know:
// the file may hold a secret, and reports are posted publicly.
func Excerpt(s string) string { return Clean(Truncate(s, ExcerptLen)) }

// Truncate cuts s after n runes, with "…".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	k := 0
	for i := range s {
		if k == n {
			return s[:i] + "…"
		}
		k++
	}
	return s
}

// LibraryMessageLen bounds a message that a library wrote (a BuildKit or
// pattern-matcher error), which may quote the input.
const LibraryMessageLen = 2 * ExcerptLen

// LibraryMessage is a library's error message as a finding may show it:
// at most LibraryMessageLen runes, control characters escaped.
func LibraryMessage(s string) string { return Clean(Truncate(s, LibraryMessageLen)) }

// Quote is Excerpt in double quotes, Go-escaped (as %q writes it).
func Quote(s string) string {
	if utf8.RuneCountInString(s) > ExcerptLen {
		return strconv.Quote(strings.TrimSuffix(Truncate(s, ExcerptLen), "…")) + "…"
	}
	return strconv.Quote(s)
}

// BoundQuotes shortens, in a message, every Go-quoted string (as %q writes
// it) whose text is longer than ExcerptLen runes to Quote's excerpt, so that
// no message quotes more of a file than that, whichever code wrote it.
// Text outside quotes is unchanged.
func BoundQuotes(s string) string {
	if len(s) < ExcerptLen+2 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			break
		}
		i += j
		q, err := strconv.QuotedPrefix(s[i:])
		if err != nil || !quoteStart(s, i) || !quoteEnd(s, i+len(q)) {
			i++ // a stray quote (a value holding one): not the start of a %q
			continue
		}
		if len(q) > ExcerptLen+2 {
			if u, err := strconv.Unquote(q); err == nil && utf8.RuneCountInString(u) > ExcerptLen {
				if last == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[last:i])
				b.WriteString(Quote(u))
				last = i + len(q)
			}
		}
		i += len(q)
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// quoteStart reports whether a quoted string may start at s[i]: at the
// start or after a space or an opening bracket or separator, as %q output
// appears in a sentence; quoteEnd, whether one may end before s[i].
func quoteStart(s string, i int) bool {
	return i == 0 || strings.IndexByte(" \t\n([{,:=", s[i-1]) >= 0
}

func quoteEnd(s string, i int) bool {
	return i == len(s) || strings.IndexByte(" \t\n)]},:;.…", s[i]) >= 0 || s[i] >= 0x80
}

// WordLen bounds a run of text without a space in a message: a field path
// or a file path may be long, but not a whole line of a file.
const WordLen = 2 * ExcerptLen

// BoundWords cuts, in a message, every run of non-space characters longer
// than WordLen runes, with "…" (an unquoted key, path or value).
func BoundWords(s string) string {
	if len(s) <= WordLen {
		return s
	}
	var b strings.Builder
	copied, n, cut := 0, 0, false // s[:copied] is written or dropped
	for i, r := range s {
		if r == ' ' || r == '\n' || r == '\t' {
			if n > WordLen {
				copied = i // resume at the space after a cut word
			}
			n = 0
			continue
		}
		n++
		if n == WordLen+1 {
			b.WriteString(s[copied:i])
			b.WriteString("…")
			cut = true
		}
	}
	if !cut {
		return s
	}
	if n <= WordLen {
		b.WriteString(s[copied:])
	}
	return b.String()
}

// bound is BoundQuotes then BoundWords.
func bound(s string) string { return BoundWords(BoundQuotes(s)) }

// Bound bounds every text of a finding (BoundQuotes, BoundWords): whichever
// code wrote it, a message quotes no more than an excerpt of a file.
func (f *Finding) Bound() {
	f.Message = bound(f.Message)
	f.Detail = bound(f.Detail)
	f.Fix = bound(f.Fix)
	for i := range f.Related {
		f.Related[i].Message = bound(f.Related[i].Message)
	}
}

// Clean escapes, in text meant for a terminal or a CI log, the characters
// that could act on it rather than be shown: C0 and C1 control characters
// (ESC starts ANSI and OSC sequences: colors, screen clearing, forged
// hyperlinks; CR and LF forge lines, such as a GitHub `::error` command),
// DEL, invalid UTF-8, line and paragraph separators and bidirectional
// overrides (which reorder what is shown). They are written as Go escapes
// (\x1b, \r, \n, \u202e); other text is returned unchanged.
func Clean(s string) string {
	i := 0
	for i < len(s) {
		r, sz := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, sz) {
			break
		}
		i += sz
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, sz := utf8.DecodeRuneInString(s[i:])
		switch {
		case !unsafeRune(r, sz):
			b.WriteString(s[i : i+sz])
		case r == utf8.RuneError:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100:
			b.WriteString(`\x` + strconv.FormatUint(uint64(r)|0x100, 16)[1:])
		default:
			b.WriteString(`\u` + strconv.FormatUint(uint64(r)|0x10000, 16)[1:])
		}
		i += sz
	}
	return b.String()
}

func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return true
	case r == 0x2028 || r == 0x2029 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c:
		return true
	}
	return false
}
