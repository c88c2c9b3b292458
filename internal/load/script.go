package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// MaxScriptSize bounds a shell script read from a build context (an
// entrypoint script): a larger one is not read.
const MaxScriptSize = 1 << 20

// Script is a shell script of the tree, parsed with mvdan.cc/sh as bash.
type Script struct {
	Path string
	Text string
	// File is the parsed script; nil when it does not parse (Err says why).
	File *syntax.File
	Err  error
}

// ReadScript reads the file at rel (slash or OS separators) inside root
// through os.Root, so that neither `..` nor a symbolic link leaves root, and
// parses it. A file larger than MaxScriptSize, or one that is not regular
// (a FIFO, a device, a directory), is not read.
func ReadScript(root, rel string) *Script {
	s := &Script{Path: filepath.Join(root, filepath.FromSlash(rel))}
	data, err := readInRoot(root, filepath.FromSlash(rel))
	if err != nil {
		s.Err = err
		return s
	}
	return ParseScript(s.Path, data)
}

// ParseScript parses a shell script's text as bash.
func ParseScript(path string, data []byte) *Script {
	s := &Script{Path: path, Text: string(data)}
	if prog := interpreter(data); prog != "" && !shellNames[prog] {
		s.Err = fmt.Errorf("not a shell script: its #! line runs %s", prog)
		return s
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(data), "")
	if err != nil {
		s.Err = fmt.Errorf("does not parse as a shell script: %w", err)
		return s
	}
	s.File = f
	return s
}

// shellNames are the interpreters whose scripts parse as POSIX or bash.
var shellNames = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "ksh": true, "busybox": true}

// interpreter returns the program a #! line names (through env), "" when
// there is none.
func interpreter(data []byte) string {
	if !bytes.HasPrefix(data, []byte("#!")) {
		return ""
	}
	line, _, _ := bytes.Cut(data[2:], []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) == 0 {
		return ""
	}
	prog := filepath.Base(fields[0])
	if prog == "env" {
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") {
				return filepath.Base(f)
			}
		}
		return ""
	}
	return prog
}

func readInRoot(root, rel string) ([]byte, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer func() { _ = r.Close() }() // read-only
	// O_NONBLOCK is not offered by os.Root: stat first, so that a FIFO is
	// never opened (an open of a FIFO blocks until a writer comes).
	st, err := r.Stat(rel)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if st.Size() > MaxScriptSize {
		return nil, fmt.Errorf("larger than the %d-byte limit for scripts; not read", MaxScriptSize)
	}
	f, err := r.Open(rel)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxScriptSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxScriptSize {
		return nil, fmt.Errorf("larger than the %d-byte limit for scripts; not read", MaxScriptSize)
	}
	return data, nil
}
