package startgc

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestRestore: Restore puts back the percentage that init found (the test
// binary's default, unless GOGC or GOMEMLIMIT is set) and only once.
func TestRestore(t *testing.T) {
	wasOff := off
	Restore()
	got := debug.SetGCPercent(100)
	defer debug.SetGCPercent(got)
	if wasOff && got != saved {
		t.Fatalf("after Restore the collector percentage is %d, want %d", got, saved)
	}
	if !wasOff && os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		t.Fatal("init did not turn the collector off")
	}
	if off {
		t.Fatal("Restore left the collector marked off")
	}
	debug.SetGCPercent(42)
	Restore() // a second call changes nothing
	if p := debug.SetGCPercent(got); p != 42 {
		t.Fatalf("a second Restore set the percentage to %d", p)
	}
}
