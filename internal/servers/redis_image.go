package servers

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// copied is a file of the tree that a Dockerfile's final stage copies from
// its build context, with its path in the image.
type copied struct {
	abs, dest string
}

// finalCopies lists the files the final stage of a Dockerfile copies from
// its context to an absolute path of the image.
func finalCopies(df *workspace.Dockerfile) []copied {
	final := len(df.Stages) - 1
	var out []copied
	for _, cp := range df.Copies {
		if cp.Stage != final || cp.From != "" || cp.Heredoc || !path.IsAbs(cp.Dest) {
			continue
		}
		for _, s := range cp.Sources {
			if !s.Resolved || s.Remote || workspace.IsGlob(s.Path) {
				continue
			}
			rel := workspace.Rel(s.Path)
			dest := path.Clean(cp.Dest)
			if strings.HasSuffix(cp.Dest, "/") || len(cp.Sources) > 1 {
				dest = path.Join(dest, path.Base(rel))
			}
			out = append(out, copied{abs: filepath.Join(df.Context, filepath.FromSlash(rel)), dest: dest})
		}
	}
	return out
}

// redisImageSetups returns the Redis configs that a Dockerfile of the tree
// copies into its image, read with what the image runs: its own
// ENTRYPOINT/CMD starting redis-server with that config (and the options
// after it, --requirepass included), or an entrypoint script copied from the
// tree, which may pass a password the model cannot see.
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
		for _, c := range finalCopies(im.Dockerfile) {
			copiedDest[c.dest] = true
			if cf := confs[c.abs]; cf != nil {
				byDest[c.dest] = cf
				inImage = append(inImage, cf)
			}
		}
		if len(inImage) == 0 {
			continue
		}
		for _, cmd := range im.Commands {
			prog := cmd.Prog()
			switch {
			case prog == "redis-server" || prog == "redis-sentinel":
				confWord, args := redisArgs(cmd.Argv[1:])
				if confWord == nil || confWord.Dynamic {
					continue
				}
				cf := byDest[path.Clean(confWord.Val)]
				if cf == nil || loaded[cf] {
					continue
				}
				loaded[cf] = true
				s := &RedisSetup{Image: im, ImageProg: prog, Conf: cf, ConfWord: confWord}
				s.Directives = append(redisConfDirectives(cf), args...)
				out = append(out, s)
			case prog != "" && copiedDest[path.Clean(cmd.Argv[0].Val)]:
				// A script of the tree starts the server: it may add
				// options (a password) that the model does not read.
				w := cmd.Argv[0]
				for _, cf := range inImage {
					if loaded[cf] {
						continue
					}
					loaded[cf] = true
					out = append(out, &RedisSetup{Image: im, Conf: cf, Directives: redisConfDirectives(cf), Script: &w})
				}
			}
		}
	}
	return out
}
