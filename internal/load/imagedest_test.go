package load

import "testing"

func TestImageDest(t *testing.T) {
	one := []*Source{{Path: "a"}}
	two := []*Source{{Path: "a"}, {Path: "b"}}
	for _, c := range []struct {
		cp      Copy
		to      string
		intoDir bool
		ok      bool
	}{
		{Copy{Dest: "/usr/local/bin/", Sources: one}, "/usr/local/bin", true, true},
		{Copy{Dest: "/entrypoint.sh", Sources: one}, "/entrypoint.sh", false, true},
		{Copy{Dest: ".", Workdir: "/app", Sources: one}, "/app", true, true},
		{Copy{Dest: "bin/run.sh", Workdir: "/srv", Sources: one}, "/srv/bin/run.sh", false, true},
		{Copy{Dest: "/opt", Sources: two}, "/opt", true, true},
		{Copy{Dest: "x", Sources: one}, "", false, false},                 // WORKDIR unknown
		{Copy{Dest: "/x", From: "build", Sources: one}, "", false, false}, // another stage
		{Copy{Dest: "/x", Heredoc: true, Sources: one}, "", false, false}, // inline text
		{Copy{Dest: "/a/../b/./c/", Sources: one}, "/b/c", true, true},
	} {
		to, intoDir, ok := c.cp.ImageDest()
		if to != c.to || intoDir != c.intoDir || ok != c.ok {
			t.Errorf("%+v: ImageDest() = %q, %v, %v; want %q, %v, %v", c.cp, to, intoDir, ok, c.to, c.intoDir, c.ok)
		}
	}
}
