// Package cache keeps the findings of earlier runs on disk, so that a run
// that names one file of a large project (a pre-commit hook, an editor)
// does not load the whole project again when nothing it depends on has
// changed.
//
// An entry is keyed by everything that changes findings apart from the
// files: the k8slint binary, the effective configuration and flags, and the
// project root (Key). It holds the findings of the files that were linted
// under that key, and a fingerprint of every input they were computed
// from: the stat of every directory the walk read (a file added, removed or
// renamed changes its directory) and of every file that was read (size,
// modification and change time, inode, device, mode). A lookup stats them
// all again, in parallel, and uses the entry only if every one is
// unchanged: any change anywhere in the project is a miss and a full run,
// since a finding of one file may depend on any other (a Service's
// selector, a ConfigMap key, a Node).
//
// A file changed during the run that wrote the entry could keep its stat
// (timestamps are as coarse as the kernel's clock tick): an entry whose
// change time is not safely before the run started is "racy" (as in git's
// index). A racy file is fingerprinted by the SHA-256 of the bytes read;
// a racy directory makes the run write no entry.
//
// Entries are written to a temporary file and renamed into place, so that
// concurrent runs never see a partial entry; a corrupt, truncated or
// foreign file is a miss, never an error.
package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/k8slint/k8slint/internal/diag"
)

// format is the version of the entry encoding: entries of another format
// are misses.
const format = "k8slint-cache-2\n"

// Store is a cache directory.
type Store struct {
	Dir string
}

// Open returns the store in dir ("" means no cache: nil).
func Open(dir string) *Store {
	if dir == "" {
		return nil
	}
	return &Store{Dir: dir}
}

// DefaultDir is the cache directory: $K8SLINT_CACHE_DIR, else k8slint in
// the user cache directory (os.UserCacheDir, read through getenv), else ""
// (no cache).
func DefaultDir(getenv func(string) string) string {
	if d := getenv("K8SLINT_CACHE_DIR"); d != "" {
		return d
	}
	var base string
	switch runtime.GOOS {
	case "windows":
		base = getenv("LocalAppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			base = filepath.Join(h, "Library", "Caches")
		}
	case "plan9":
		if h := getenv("home"); h != "" {
			base = filepath.Join(h, "lib", "cache")
		}
	default:
		base = getenv("XDG_CACHE_HOME")
		if base == "" || !filepath.IsAbs(base) {
			base = ""
			if h := getenv("HOME"); h != "" {
				base = filepath.Join(h, ".cache")
			}
		}
	}
	if base == "" {
		return ""
	}
	return filepath.Join(base, "k8slint")
}

// Key hashes the parts that identify an entry (the binary, the options,
// the root) into a file name.
func Key(parts ...[]byte) string {
	h := sha256.New()
	h.Write([]byte(format))
	h.Write([]byte(BinaryID()))
	for _, p := range parts {
		var n [8]byte
		for i, l := 0, uint64(len(p)); i < 8; i++ {
			n[i] = byte(l >> (8 * i))
		}
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))[:40]
}

// BinaryID identifies the running k8slint binary: its module version and
// VCS revision from the build info, and the stat of the executable, so that
// a rebuilt development binary (version "(devel)", maybe with uncommitted
// changes) never reads the findings of another build.
var BinaryID = sync.OnceValue(func() string {
	var b strings.Builder
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.Main.Path + "@" + bi.Main.Version + " " + bi.GoVersion)
		for _, s := range bi.Settings {
			if strings.HasPrefix(s.Key, "vcs.") || s.Key == "-ldflags" || s.Key == "-tags" {
				b.WriteString(" " + s.Key + "=" + s.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if st, ok := statPath(exe); ok {
			b.WriteString(" exe=" + exe + st.String())
		} else {
			b.WriteString(" exe=unknown" + time.Now().String()) // never matches again
		}
	}
	return b.String()
})

// Entry is what one key holds.
type Entry struct {
	// Dirs are the walked directories, Files the files read, Probes the
	// paths looked up outside the walk (a missing one has Missing set).
	Dirs, Files, Probes Stamps
	// All says that the findings of every file of the project are known;
	// else Known lists the files whose findings are (sorted).
	All   bool
	Known []string
	// Findings are all the findings (after suppressions and severities)
	// that touch a known file: in it or with a related location in it.
	Findings []diag.Finding
	// Suppressed are the findings that suppressions dropped, of the known
	// files likewise.
	Suppressed []diag.Finding
	// Loaded is the number of files loaded; Unreadable the unreadable
	// walked roots (beside the unreadable input files).
	Loaded, Unreadable int
}

// Stamp is the fingerprint of one path.
type Stamp struct {
	Path    string
	Size    int64
	Mtime   int64 // nanoseconds
	Ctime   int64 // nanoseconds (the modification time where there is none)
	Ino     uint64
	Dev     uint64
	Mode    uint32
	Missing bool   // a probe that found nothing
	Hash    []byte // SHA-256 of the content, for a racy file
	// What a run counts for an input file: its discovery kind (for reading
	// its source again for reporters), whether it is a linted file
	// (Result.Files) and whether it could not be read.
	Kind       uint8
	Counted    bool
	Unreadable bool
	// Scope is what a later run that names other files needs to know of
	// this manifest file to leave it unread (nil: unknown; see Scope).
	Scope *Scope
}

// Scope is what the objects of one manifest file can have to do with the
// objects of other files, as far as a named-file run needs it to decide
// that the file cannot change the named files' findings (the engine's
// prune.go decides; the cache only keeps it with the file's stamp).
type Scope struct {
	// Isolated: the file parses, and holds only objects of namespaced
	// built-in kinds that name no namespace but their own
	// (metadata.namespace): no other field named namespace, namespaces or
	// namespaceSelector.
	Isolated bool
	// Global: the file's presence can change the objects of any other
	// file (Node objects, a kustomization, a client-side kind).
	Global bool
	// Namespaces are the namespaces of its objects of namespaced built-in
	// kinds, as written; "" for one that names none (kubectl applies it to
	// any namespace).
	Namespaces []string
	// Names are the 32-bit hashes (Hash32) of its objects' names, and
	// Tokens those of the names it refers to (each value of a key name or
	// ...Name, and each DNS-label-like word in one), 4 bytes each
	// (little-endian, PackHashes): compact on disk, searched in place.
	Names, Tokens []byte
}

// Hash32 is the hash of Scope.Names and Scope.Tokens (FNV-1a): a collision
// can only make a run read a file it could have left.
func Hash32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// PackHashes appends hs to dst packed as Scope.Names or Scope.Tokens (in
// their order, repeats kept: a file has a few dozen, searched linearly).
func PackHashes(dst []byte, hs []uint32) []byte {
	for _, h := range hs {
		dst = binary.LittleEndian.AppendUint32(dst, h)
	}
	return dst
}

// HasHash reports whether packed (PackHashes) holds h.
func HasHash(packed []byte, h uint32) bool {
	for i := 0; i+4 <= len(packed); i += 4 {
		if binary.LittleEndian.Uint32(packed[i:]) == h {
			return true
		}
	}
	return false
}

// EachHash calls f with each hash of packed.
func EachHash(packed []byte, f func(uint32) bool) {
	for i := 0; i+4 <= len(packed); i += 4 {
		if !f(binary.LittleEndian.Uint32(packed[i:])) {
			return
		}
	}
}

// File returns the stamp of the input file path, or nil.
func (e *Entry) File(path string) *Stamp {
	i := sort.Search(len(e.Files), func(i int) bool { return e.Files[i].Path >= path })
	if i < len(e.Files) && e.Files[i].Path == path {
		return &e.Files[i]
	}
	return nil
}

func (s Stamp) String() string {
	return strings.Join([]string{"", itoa(s.Size), itoa(s.Mtime), itoa(s.Ctime), itoa(int64(s.Ino)), itoa(int64(s.Dev)), itoa(int64(s.Mode))}, ":")
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// same reports whether s and t describe the same unchanged file.
func (s *Stamp) same(t *Stamp) bool {
	return s.Size == t.Size && s.Mtime == t.Mtime && s.Ctime == t.Ctime && s.Ino == t.Ino && s.Dev == t.Dev && s.Mode == t.Mode
}

// Racy reports whether a stamp taken after a run that started at start may
// hide a change made during that run: its change time is not safely
// before the start. Timestamps with no sub-second part come from a
// filesystem that keeps whole seconds (or two): they need a wider margin.
func (s *Stamp) Racy(start time.Time) bool {
	margin := 50 * time.Millisecond
	if s.Ctime%int64(time.Second) == 0 || s.Mtime%int64(time.Second) == 0 {
		margin = 3 * time.Second
	}
	limit := start.Add(-margin).UnixNano()
	return s.Ctime >= limit || s.Mtime >= limit
}

// Stat stamps a path (following links); ok is false when it cannot be
// stat'ed.
func Stat(path string) (Stamp, bool) { return statPath(path) }

// Hash is the content fingerprint of a racy file.
func Hash(data []byte) []byte {
	h := sha256.Sum256(data)
	return h[:]
}

// Valid reports whether every stamp of e still holds: every directory,
// file and probe unchanged (a racy file by its content). It stats them on
// up to jobs goroutines.
func (e *Entry) Valid(jobs int) bool {
	all := make([]*Stamp, 0, len(e.Dirs)+len(e.Files)+len(e.Probes))
	for _, l := range []Stamps{e.Dirs, e.Files, e.Probes} {
		for i := range l {
			all = append(all, &l[i])
		}
	}
	if jobs < 1 {
		jobs = 1
	}
	chunk := (len(all) + jobs - 1) / jobs
	if chunk < 256 {
		chunk = 256
	}
	var bad sync.Once
	ok := true
	var wg sync.WaitGroup
	for lo := 0; lo < len(all); lo += chunk {
		hi := min(lo+chunk, len(all))
		wg.Add(1)
		go func(part []*Stamp) {
			defer wg.Done()
			for _, s := range part {
				if !s.holds() {
					bad.Do(func() { ok = false })
					return
				}
			}
		}(all[lo:hi])
	}
	wg.Wait()
	return ok
}

// Holds reports whether the path is unchanged since s was taken (a racy
// file's content is read again).
func (s *Stamp) Holds() bool { return s.holds() }

func (s *Stamp) holds() bool {
	t, ok := statPath(s.Path)
	if s.Missing {
		return !ok
	}
	if !ok {
		return false
	}
	if s.Hash != nil {
		if t.Size != s.Size {
			return false
		}
		data, err := os.ReadFile(s.Path)
		return err == nil && bytes.Equal(Hash(data), s.Hash)
	}
	return s.same(&t)
}

// Load returns the entry of key, or nil (none, or unreadable, or corrupt:
// the SHA-256 of the encoding, written after it, must match).
func (st *Store) Load(key string) *Entry {
	if st == nil {
		return nil
	}
	data, err := os.ReadFile(st.path(key))
	if err != nil || len(data) < len(format)+sha256.Size || string(data[:len(format)]) != format {
		return nil
	}
	body, sum := data[len(format):len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if h := sha256.Sum256(body); !bytes.Equal(h[:], sum) {
		return nil
	}
	var e Entry
	if err := decode(bytes.NewReader(body), &e); err != nil {
		return nil
	}
	return &e
}

// decode decodes an entry; a panic of the decoder is a miss too.
func decode(r io.Reader, e *Entry) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("corrupt cache entry")
		}
	}()
	return gob.NewDecoder(r).Decode(e)
}

// Save writes the entry of key: to a temporary file in the store, renamed
// into place (atomic: a concurrent run reads the old entry or the new one).
// Entries not used for a week are removed on the way.
func (st *Store) Save(key string, e *Entry) error {
	if st == nil {
		return nil
	}
	if err := os.MkdirAll(st.Dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(st.Dir, "tmp-*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<16)
	h := sha256.New()
	_, _ = w.WriteString(format)
	err = gob.NewEncoder(io.MultiWriter(w, h)).Encode(e)
	if err == nil {
		_, _ = w.Write(h.Sum(nil))
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), st.path(key))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	st.prune(key)
	return nil
}

// Touch marks the entry of key used (for pruning).
func (st *Store) Touch(key string) {
	if st != nil {
		now := time.Now()
		_ = os.Chtimes(st.path(key), now, now)
	}
}

// prune removes entries and temporary files not touched for a week.
func (st *Store) prune(keep string) {
	entries, err := os.ReadDir(st.Dir)
	if err != nil {
		return
	}
	old := time.Now().Add(-7 * 24 * time.Hour)
	for _, d := range entries {
		name := d.Name()
		if name == keep+".entry" || !ours(name) {
			continue
		}
		if info, err := d.Info(); err == nil && info.ModTime().Before(old) {
			_ = os.Remove(filepath.Join(st.Dir, name))
		}
	}
}

func (st *Store) path(key string) string { return filepath.Join(st.Dir, key+".entry") }

// Clean removes the store's entries (and the directory, once empty). It
// removes only the files that the cache writes, so that a mistaken
// K8SLINT_CACHE_DIR never empties another directory. It returns how many
// files it removed.
func Clean(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	var first error
	for _, d := range entries {
		name := d.Name()
		if !d.Type().IsRegular() || !ours(name) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && first == nil {
			first = err
		} else if err == nil {
			n++
		}
	}
	_ = os.Remove(dir) // only if empty
	return n, first
}

// ours reports whether a file of the cache directory is one the cache
// writes: an entry or a temporary file being written.
func ours(name string) bool {
	return strings.HasSuffix(name, ".entry") || strings.HasPrefix(name, "tmp-")
}
