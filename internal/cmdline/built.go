package cmdline

import (
	"github.com/k8slint/k8slint/internal/workspace"
)

// Built is a container whose image the tree builds (a skaffold artifact or
// a compose service names it, see workspace.ImageBuild) and whose image's
// ENTRYPOINT runs an entrypoint script of the build context that the
// model read. The container sets no `command:` (which would replace that
// entrypoint); its `args:`, when given, replace the image's CMD, so they
// are what "$@" stands for in the script.
type Built struct {
	Container workspace.Container
	Build     *workspace.ImageBuild
	Image     *Image
	Script    *Script
	// Commands are the script's commands with the container's arguments.
	Commands []*Command
}

func built(ws *workspace.Workspace, m *Model) []*Built {
	byDockerfile := map[*workspace.Dockerfile]*Image{}
	for _, im := range m.Images {
		byDockerfile[im.Dockerfile] = im
	}
	var out []*Built
	ws.EachContainer(func(c workspace.Container) {
		if c.Node.Get("command") != nil {
			return
		}
		b := ws.ImageBuildOf(c.Node.Get("image").Str())
		if b == nil {
			return
		}
		im := byDockerfile[b.Dockerfile]
		if im == nil {
			return
		}
		sc := entryScript(im)
		if sc == nil {
			return
		}
		args := c.Node.Get("args")
		cmds := sc.Commands
		if args != nil && !im.entryShell { // a shell-form ENTRYPOINT ignores args
			l := m.Container(c)
			if l == nil || l.NonScalar {
				return
			}
			j := wordIndex(im, sc.Word)
			if j < 0 || j >= im.entryWords {
				return // the script is the CMD, which args replace
			}
			with := append(append([]Word(nil), im.Words[j+1:im.entryWords]...), l.Words...)
			cmds = sc.WithArgs(with)
		}
		out = append(out, &Built{Container: c, Build: b, Image: im, Script: sc, Commands: cmds})
	})
	return out
}

// entryScript returns the read script that the image's first command runs
// when that script's arguments are known, nil otherwise.
func entryScript(im *Image) *Script {
	for _, sc := range im.Scripts {
		if sc.cmd == 0 && sc.Err == nil && !sc.ArgsUnknown {
			return sc
		}
	}
	return nil
}

func wordIndex(im *Image, w Word) int {
	for j, x := range im.Words {
		if x.Loc == w.Loc && x.Val == w.Val {
			return j
		}
	}
	return -1
}
