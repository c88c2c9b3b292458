package servers

import (
	"path"
	"path/filepath"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// copied is a file of the tree that a Dockerfile's final stage copies from
// its build context, with its path in the image.
type copied struct {
	abs, dest string
}

// finalCopies lists the files the final stage of a Dockerfile copies from
// its context, with their paths in the image (a relative destination is
// relative to the WORKDIR; one whose WORKDIR is not known is left out). A
// directory source lists only the files of confs under it.
func finalCopies(ws *workspace.Workspace, df *workspace.Dockerfile, confs map[string]*load.ConfFile) []copied {
	var bc *workspace.BuildContext
	var out []copied
	for _, cp := range df.FinalContextCopies() {
		to, intoDir := cp.To, cp.IntoDir
		for _, rel := range cp.Rels {
			abs := filepath.Join(df.Context, filepath.FromSlash(rel))
			if bc == nil {
				bc = ws.BuildContext(df)
			}
			if info := bc.Stat(rel); info.IsDir && !cp.Parents {
				// The directory's contents go to the destination.
				for conf := range confs {
					if r, err := filepath.Rel(abs, conf); err == nil && discovery.Within(abs, conf) {
						out = append(out, copied{abs: conf, dest: path.Join(to, filepath.ToSlash(r))})
					}
				}
				continue
			}
			dest := to
			if intoDir {
				dest = path.Join(dest, path.Base(rel))
			}
			out = append(out, copied{abs: abs, dest: dest})
		}
	}
	return out
}

// redisImageSetups returns the Redis configs that a Dockerfile of the tree
// copies into its image, read with what the image runs: its own
// ENTRYPOINT/CMD starting redis-server with that config (and the options
// after it, --requirepass included), or the entrypoint script copied from
// the tree that it runs, read in turn: each redis-server of the script that
// loads the config (in any branch or function, as for `sh -c`) is a command
// line of its own, "$@" standing for the image's CMD. A config that only a
// script the model could not read (or whose server's config argument is an
// expansion) may load is not judged: the script may pass a password.
func redisImageSetups(ws *workspace.Workspace, loaded map[*load.ConfFile]bool) []*RedisSetup {
	confs := map[string]*load.ConfFile{}
	for _, cf := range ws.Confs {
		if cf.Origin == nil && cf.Kind == load.RedisConf && load.IsRedisConfig(cf.Directives) {
			confs[cf.Path] = cf
		}
	}
	if len(confs) == 0 {
		return nil
	}
	var out []*RedisSetup
	for _, im := range cmdline.Of(ws).Images {
		byDest := map[string]*load.ConfFile{}
		copiedDest := map[string]bool{}
		var inImage []*load.ConfFile
		for _, c := range finalCopies(ws, im.Dockerfile, confs) {
			copiedDest[c.dest] = true
			if cf := confs[c.abs]; cf != nil {
				byDest[c.dest] = cf
				inImage = append(inImage, cf)
			}
		}
		if len(inImage) == 0 {
			continue
		}
		run := im.Run()
		here := map[*load.ConfFile]bool{} // loaded by this image's command lines
		var unknown *cmdline.Word         // a script that may load them
		for i, cmd := range run {
			prog := cmd.Prog()
			switch {
			case prog == "redis-server" || prog == "redis-sentinel":
				if cmd.From != nil && daemonizesArgs(cmd.Argv[1:]) && startedLater(prog, run[i+1:]) {
					continue // started in the background to prepare it, then again
				}
				confWord, args := redisArgs(cmd.Argv[1:])
				if confWord == nil || confWord.Dynamic {
					continue
				}
				cf := byDest[imagePath(confWord.Val, im)]
				if cf == nil || loaded[cf] && !here[cf] {
					continue
				}
				if here[cf] && cmd.From == nil {
					continue
				}
				here[cf] = true
				for j := range args {
					if cmd.From != nil && args[j].Loc.File == cmd.From.Path {
						args[j].Script = cmd.From
					}
				}
				s := &RedisSetup{Image: im, ImageProg: prog, Conf: cf, ConfWord: confWord, ImageScript: cmd.From}
				s.Directives = append(redisConfDirectives(cf), args...)
				out = append(out, s)
			case prog != "" && copiedDest[imagePath(cmd.Argv[0].Val, im)]:
				// A script of the tree that the model could not read
				// starts the server: it may add options (a password).
				w := cmd.Argv[0]
				unknown = &w
			}
		}
		for cf := range here {
			loaded[cf] = true
		}
		if unknown == nil && len(im.Scripts) > 0 {
			// A script of the tree runs: what it does with a config that
			// no literal command line of it loads is not known.
			unknown = &im.Scripts[0].Word
		}
		if unknown == nil {
			continue
		}
		for _, cf := range inImage {
			if loaded[cf] {
				continue
			}
			loaded[cf] = true
			out = append(out, &RedisSetup{Image: im, Conf: cf, Directives: redisConfDirectives(cf), Script: unknown})
		}
	}
	return out
}

// daemonizesArgs: `--daemonize yes` on a redis-server command line.
func daemonizesArgs(args []cmdline.Word) bool {
	return daemonizes(&Server{Args: args})
}

func startedLater(prog string, later []*cmdline.Command) bool {
	for _, c := range later {
		if c.Prog() == prog {
			return true
		}
	}
	return false
}

// imagePath is a path of the image's command line, made absolute from the
// final stage's WORKDIR ("" when it is relative and that is not known).
func imagePath(p string, im *cmdline.Image) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	st := im.Dockerfile.Stages
	if len(st) == 0 || st[len(st)-1].Workdir == "" {
		return ""
	}
	return path.Join(st[len(st)-1].Workdir, p)
}

// imageConf returns the Redis config of the tree that an image's final
// stage copies to the path p of its command line, nil when none.
func imageConf(ws *workspace.Workspace, im *cmdline.Image, p string) *load.ConfFile {
	confs := map[string]*load.ConfFile{}
	for _, cf := range ws.Confs {
		if cf.Origin == nil && cf.Kind == load.RedisConf && load.IsRedisConfig(cf.Directives) {
			confs[cf.Path] = cf
		}
	}
	want := imagePath(p, im)
	for _, c := range finalCopies(ws, im.Dockerfile, confs) {
		if c.dest == want && confs[c.abs] != nil {
			return confs[c.abs]
		}
	}
	return nil
}
