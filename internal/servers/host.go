package servers

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
)

// HostClass tells what a bind address is.
type HostClass uint8

const (
	HostOther    HostClass = iota // reachable from other pods, or unknown
	HostLoopback                  // 127.0.0.0/8, ::1, localhost
	HostSocket                    // a unix socket path: local only
)

// ClassifyHost classifies a bind address.
func ClassifyHost(h string) HostClass {
	h = strings.TrimSpace(h)
	if strings.HasPrefix(h, "/") {
		return HostSocket
	}
	switch strings.TrimSuffix(strings.ToLower(h), ".") {
	case "localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain", "localhost6":
		return HostLoopback
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i]
	}
	if a, err := netip.ParseAddr(h); err == nil && a.IsLoopback() {
		return HostLoopback
	}
	return HostOther
}

// OnlyLoopback reports whether every address is loopback (or a unix socket
// path) and at least one is loopback.
func OnlyLoopback(addrs []string) bool {
	loop := false
	for _, a := range addrs {
		switch ClassifyHost(a) {
		case HostOther:
			return false
		case HostLoopback:
			loop = true
		}
	}
	return loop
}

// confWords converts a config directive's arguments to words.
func confWords(cf *load.ConfFile, d load.Directive) []cmdline.Word {
	out := make([]cmdline.Word, len(d.Args))
	for i, a := range d.Args {
		loc := diag.Location{File: cf.Path, Line: d.Line, Column: a.Column}
		if a.EndCol > a.Column {
			loc.EndLine, loc.EndColumn = d.Line, a.EndCol
		}
		out[i] = cmdline.Word{Val: a.Value, Loc: loc}
	}
	return out
}

// SubWord is the part of w from byte offset off (an ASCII prefix), with
// its columns when w's location shows the word as written (plain, or in
// quotes without escapes); else w's location.
func SubWord(w cmdline.Word, off int) cmdline.Word {
	v := cmdline.Word{Val: w.Val[off:], Loc: w.Loc, Dynamic: w.Dynamic}
	if w.Loc.EndLine != w.Loc.Line || w.Loc.EndColumn == 0 {
		return v
	}
	switch w.Loc.EndColumn - w.Loc.Column - utf8.RuneCountInString(w.Val) {
	case 0:
		v.Loc.Column += off
	case 2:
		v.Loc.Column += off + 1
		v.Loc.EndColumn--
	}
	return v
}

// Span is the location from the first word to the last (one line).
func Span(ws []cmdline.Word) diag.Location {
	loc := ws[0].Loc
	last := ws[len(ws)-1].Loc
	if last.Line == loc.Line && last.EndColumn > 0 && loc.EndColumn > 0 {
		loc.EndColumn = last.EndColumn
	}
	return loc
}
