package cache

import (
	"reflect"
	"testing"
)

func sampleStamps() Stamps {
	return Stamps{
		{Path: "/p/dir", Size: 4096, Mtime: 1700000000123456789, Ctime: -5, Ino: 1 << 40, Dev: 2049, Mode: 0o40755},
		{Path: "/p/a.yaml", Size: 900, Mtime: 1, Ctime: 2, Ino: 3, Dev: 4, Mode: 0o644, Kind: 1, Counted: true,
			Scope: &Scope{Isolated: true, Namespaces: []string{"ns-0", ""}, Names: PackHashes(nil, []uint32{7, 3}), Tokens: PackHashes(nil, []uint32{9, 1, 9})}},
		{Path: "/p/b.yaml", Kind: 1, Unreadable: true, Hash: Hash([]byte("x")), Scope: &Scope{Global: true}},
		{Path: "/p/Chart.yaml", Missing: true},
		{Path: "/p/é \x00 odd", Scope: &Scope{}},
	}
}

// TestStampsRoundTrip: what MarshalBinary writes, UnmarshalBinary reads
// back field for field, also inside a gob-encoded entry.
func TestStampsRoundTrip(t *testing.T) {
	in := sampleStamps()
	data, err := in.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var out Stamps
	if err := out.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	// An empty byte list reads back as empty, not nil: compare as encoded.
	for i := range out {
		if sc := out[i].Scope; sc != nil {
			if len(sc.Names) == 0 {
				sc.Names = in[i].Scope.Names
			}
			if len(sc.Tokens) == 0 {
				sc.Tokens = in[i].Scope.Tokens
			}
		}
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", out, in)
	}
	if !HasHash(out[1].Scope.Tokens, 9) || !HasHash(out[1].Scope.Tokens, 1) || HasHash(out[1].Scope.Tokens, 2) || len(out[1].Scope.Tokens) != 12 {
		t.Fatalf("packed tokens %v", out[1].Scope.Tokens)
	}

	st := Open(t.TempDir())
	e := &Entry{Dirs: in[:1], Files: in[1:3], Probes: in[3:]}
	if err := st.Save("k", e); err != nil {
		t.Fatal(err)
	}
	got := st.Load("k")
	if got == nil || len(got.Files) != 2 || got.Files[0].Scope == nil || got.Files[0].Scope.Namespaces[0] != "ns-0" || !got.Probes[0].Missing {
		t.Fatalf("entry round trip: %+v", got)
	}
}

// TestStampsCorrupt: every truncation and a flipped byte are errors or
// other stamps, never a panic.
func TestStampsCorrupt(t *testing.T) {
	data, _ := sampleStamps().MarshalBinary()
	for n := 0; n < len(data); n++ {
		var out Stamps
		if err := out.UnmarshalBinary(data[:n]); err == nil {
			t.Fatalf("a list cut to %d of %d bytes decoded", n, len(data))
		}
	}
	for i := range data {
		b := append([]byte(nil), data...)
		b[i] ^= 0xff
		var out Stamps
		_ = out.UnmarshalBinary(b)
	}
	var out Stamps
	if err := out.UnmarshalBinary([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}); err == nil {
		t.Fatal("a huge count decoded")
	}
}

// TestStampsOwnTheirBytes: the decoded stamps do not alias the buffer
// they were decoded from (gob reuses it).
func TestStampsOwnTheirBytes(t *testing.T) {
	data, _ := sampleStamps().MarshalBinary()
	var out Stamps
	if err := out.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	want := sampleStamps()
	for i := range data {
		data[i] = 0xaa
	}
	if out[1].Path != want[1].Path || string(out[1].Scope.Tokens) != string(want[1].Scope.Tokens) ||
		string(out[2].Hash) != string(want[2].Hash) || out[1].Scope.Namespaces[0] != "ns-0" {
		t.Fatalf("the stamps changed with the buffer: %+v", out[1])
	}
}

// FuzzStamps: any bytes decode to an error or to stamps that encode and
// decode again to the same stamps; never a panic.
func FuzzStamps(f *testing.F) {
	data, _ := sampleStamps().MarshalBinary()
	f.Add(data)
	f.Add([]byte{})
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var l Stamps
		if err := l.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := l.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var m Stamps
		if err := m.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoded stamps do not decode: %v", err)
		}
		if len(m) != len(l) {
			t.Fatalf("%d stamps, then %d", len(l), len(m))
		}
		for i := range l {
			if l[i].Path != m[i].Path || l[i].Size != m[i].Size || l[i].Mtime != m[i].Mtime || (l[i].Scope == nil) != (m[i].Scope == nil) {
				t.Fatalf("stamp %d changed: %+v, then %+v", i, l[i], m[i])
			}
		}
	})
}
