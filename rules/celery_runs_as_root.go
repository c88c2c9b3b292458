package rules

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// CeleryRunsAsRoot reports containers that start a Celery worker as root
// without C_FORCE_ROOT.
var CeleryRunsAsRoot = register(&Rule{
	ID:       "celery-runs-as-root",
	Summary:  "A Celery worker runs as root without C_FORCE_ROOT: Celery refuses to start when it accepts pickle",
	Severity: diag.Warning,
	Check:    checkCeleryRunsAsRoot,
})

func checkCeleryRunsAsRoot(ws *workspace.Workspace, report Report) {
	for _, l := range cmdline.Of(ws).Lines {
		c := l.Container
		if c.Field == "ephemeralContainers" || !startsCelery(l) {
			continue
		}
		at := c.Node.Get("command")
		if at == nil {
			at = c.Node.Get("args")
		}
		if !runsAsRoot(c) {
			continue
		}
		set, known := cForceRoot(ws, c)
		if set || !known {
			continue
		}
		o := c.Template.Object
		name := c.Name
		if name == "" {
			name = c.Path()
		}
		report(diag.Finding{
			Location: workspace.NodeLocation(o.File, firstScalar(at)),
			Message:  fmt.Sprintf("container %q starts a Celery worker as root and C_FORCE_ROOT is not set", clip(name, 60)),
			Detail: fmt.Sprintf("container %q of %s runs as root (no runAsNonRoot: true or non-zero runAsUser in its securityContext or the pod's): "+
				"when the worker accepts pickle (accept_content, the default up to Celery 4.0.0) it exits with “Running a worker with superuser privileges when the worker accepts messages serialized with pickle is a very bad idea!” and the pod restarts in a loop; "+
				"from 4.0.1 (json by default) it only warns",
				name, o.Label()),
			Fix: "run it as a non-root user (securityContext: {runAsNonRoot: true, runAsUser: 1000}), or set env C_FORCE_ROOT with a quoted value (value: \"true\"; any non-empty value counts)",
		})
	}
}

func firstScalar(n *yamlx.Node) *yamlx.Node {
	if n != nil && n.Kind() == yamlx.Sequence && n.Len() > 0 {
		return n.At(0)
	}
	return n
}

// runsAsRoot: neither runAsNonRoot true nor a non-zero runAsUser, the
// container's securityContext winning over the pod's.
func runsAsRoot(c workspace.Container) bool {
	csc := c.Node.Get("securityContext")
	psc := c.Template.Spec.Get("securityContext")
	eff := func(field string) *yamlx.Node {
		if n := csc.Get(field); n != nil && !n.IsNull() {
			return n
		}
		if n := psc.Get(field); n != nil && !n.IsNull() {
			return n
		}
		return nil
	}
	if n := eff("runAsNonRoot"); n != nil {
		if v, ok := n.Bool(); !ok || v {
			return false // true, or a value we cannot read
		}
	}
	if n := eff("runAsUser"); n != nil {
		v, ok := n.Int()
		if !ok || v != 0 {
			return false
		}
	}
	return true
}

// cForceRoot reports whether C_FORCE_ROOT is set to a non-empty value, and
// whether that is known (an envFrom source outside the tree, or a
// valueFrom, makes it unknown).
func cForceRoot(ws *workspace.Workspace, c workspace.Container) (set, known bool) {
	const name = "C_FORCE_ROOT"
	// env wins over envFrom; the last env entry with the name wins.
	var last *yamlx.Node
	for _, e := range c.Node.Get("env").Items() {
		if e.Get("name").Str() == name {
			last = e
		}
	}
	if last != nil {
		if last.Get("valueFrom") != nil {
			return false, false
		}
		v := last.Get("value")
		return v != nil && v.Kind() == yamlx.Scalar && v.Value() != "" && !v.IsNull(), true
	}
	ns := c.Template.Object.Namespace
	set, known = false, true
	for _, ef := range c.Node.Get("envFrom").Items() {
		prefix := ef.Get("prefix").Str()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		key := strings.TrimPrefix(name, prefix)
		var kind string
		var ref *yamlx.Node
		if r := ef.Get("configMapRef"); r != nil {
			kind, ref = "ConfigMap", r
		} else if r := ef.Get("secretRef"); r != nil {
			kind, ref = "Secret", r
		} else {
			continue
		}
		o := ws.Lookup(kind, ns, ref.Get("name").Str())
		if o == nil {
			known = false // later sources may still set it; if none does, stay silent
			continue
		}
		if v, ok := sourceValue(o, key); ok {
			set = v != ""
			if set {
				known = true
			}
		}
	}
	if set {
		return true, true
	}
	return false, known
}

// sourceValue returns a ConfigMap's or Secret's value for key.
func sourceValue(o *workspace.Object, key string) (string, bool) {
	if o.Kind == "Secret" {
		if v := o.Root.Path("stringData", key); v != nil && v.Kind() == yamlx.Scalar {
			return v.Value(), true
		}
		if v := o.Root.Path("data", key); v != nil && v.Kind() == yamlx.Scalar {
			dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v.Value()))
			if err != nil {
				return "x", true // undecodable: treat as set (silent)
			}
			return string(dec), true
		}
		return "", false
	}
	for _, field := range []string{"data", "binaryData"} {
		if v := o.Root.Path(field, key); v != nil && v.Kind() == yamlx.Scalar {
			if v.IsNull() {
				return "", true
			}
			return v.Value(), true
		}
	}
	return "", false
}

// startsCelery reports whether a command line starts a Celery worker as
// its own user (not through gosu, su-exec or the like) without
// C_FORCE_ROOT set on the command itself.
func startsCelery(l *cmdline.Line) bool {
	for _, cmd := range l.Commands {
		if cmd.AsUser || forcesRoot(cmd.Env) {
			continue
		}
		argv := make([]string, len(cmd.Argv))
		for i, w := range cmd.Argv {
			argv[i] = w.Val
		}
		switch prog := cmd.Prog(); {
		case prog == "celery" || prog == "celeryd":
			if celeryArgsWorker(argv[1:], prog == "celeryd") {
				return true
			}
		case strings.HasPrefix(prog, "python"):
			for i := 1; i+1 < len(argv); i++ {
				if argv[i] == "-m" {
					if argv[i+1] == "celery" && celeryArgsWorker(argv[i+2:], false) {
						return true
					}
					break
				}
				if !strings.HasPrefix(argv[i], "-") {
					break
				}
			}
		}
	}
	return false
}

func forcesRoot(env []cmdline.Word) bool {
	for _, e := range env {
		if v, ok := strings.CutPrefix(e.Val, "C_FORCE_ROOT="); ok && v != "" {
			return true
		}
	}
	return false
}

// celeryValueOptions are celery's global options that take a value.
var celeryValueOptions = map[string]bool{
	"-A": true, "--app": true, "-b": true, "--broker": true, "--result-backend": true, "--loader": true,
	"--config": true, "--workdir": true,
}

func celeryArgsWorker(args []string, celeryd bool) bool {
	sub := ""
	if celeryd {
		sub = "worker"
	} else {
		for i := 0; i < len(args); i++ {
			a := args[i]
			if strings.HasPrefix(a, "-") {
				if celeryValueOptions[a] {
					i++
				}
				continue
			}
			sub = a
			args = args[i+1:]
			break
		}
	}
	if sub != "worker" && sub != "multi" {
		return false
	}
	for _, a := range args {
		if a == "--uid" || strings.HasPrefix(a, "--uid=") {
			return false // drops privileges itself
		}
	}
	return true
}
