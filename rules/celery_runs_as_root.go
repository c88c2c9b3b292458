package rules

import (
	"encoding/base64"
	"fmt"
	"path"
	"strings"

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
	ws.EachContainer(func(c workspace.Container) {
		if c.Field == "ephemeralContainers" {
			return
		}
		cmd, args := c.Node.Get("command"), c.Node.Get("args")
		var argv []string
		var at *yamlx.Node
		switch {
		case cmd != nil:
			argv = append(cmd.Strings(), args.Strings()...)
			at = cmd
		case args != nil:
			argv = args.Strings()
			at = args
		default:
			return
		}
		if !isCeleryWorker(argv) {
			return
		}
		if !runsAsRoot(c) {
			return
		}
		set, known := cForceRoot(ws, c)
		if set || !known {
			return
		}
		o := c.Template.Object
		name := c.Name
		if name == "" {
			name = c.Path()
		}
		report(diag.Finding{
			Location: workspace.NodeLocation(o.File, firstScalar(at)),
			Message: fmt.Sprintf("container %q of %s starts a Celery worker as root (no runAsNonRoot: true or non-zero runAsUser in its securityContext or the pod's) and C_FORCE_ROOT is not set: "+
				"when the worker accepts pickle (accept_content, the default up to Celery 4.0.0) it exits with \"Running a worker with superuser privileges when the worker accepts messages serialized with pickle is a very bad idea!\" and the pod restarts in a loop; "+
				"from 4.0.1 (json by default) it only warns. Run it as a non-root user (securityContext: {runAsNonRoot: true, runAsUser: 1000}), or set env C_FORCE_ROOT with a quoted value (value: \"true\"; any non-empty value counts)",
				name, o.Label()),
		})
	})
}

func firstScalar(n *yamlx.Node) *yamlx.Node {
	if n != nil && n.Kind == yamlx.Sequence && len(n.Content) > 0 {
		return n.Content[0]
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
		return v != nil && v.Kind == yamlx.Scalar && v.Value != "" && !v.IsNull(), true
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
		if v := o.Root.Path("stringData", key); v != nil && v.Kind == yamlx.Scalar {
			return v.Value, true
		}
		if v := o.Root.Path("data", key); v != nil && v.Kind == yamlx.Scalar {
			dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v.Value))
			if err != nil {
				return "x", true // undecodable: treat as set (silent)
			}
			return string(dec), true
		}
		return "", false
	}
	for _, field := range []string{"data", "binaryData"} {
		if v := o.Root.Path(field, key); v != nil && v.Kind == yamlx.Scalar {
			if v.IsNull() {
				return "", true
			}
			return v.Value, true
		}
	}
	return "", false
}

// isCeleryWorker reports whether a command line starts a Celery worker.
func isCeleryWorker(argv []string) bool {
	return celeryIn(argv, 0)
}

var userSwitchers = map[string]bool{
	"gosu": true, "su-exec": true, "su": true, "sudo": true, "runuser": true, "setpriv": true, "chpst": true,
	"s6-setuidgid": true, "setuidgid": true, "doas": true,
}

func celeryIn(argv []string, depth int) bool {
	if depth > 3 {
		return false
	}
	argv = stripWrappers(argv)
	if len(argv) == 0 {
		return false
	}
	prog := path.Base(argv[0])
	switch {
	case shells[prog]:
		// sh -c SCRIPT (flags may be combined: -ec, -xc).
		for i := 1; i < len(argv); i++ {
			a := argv[i]
			if a == "-o" || a == "+o" {
				i++ // -o pipefail
				continue
			}
			if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "c") {
				if i+1 < len(argv) {
					return scriptStartsCelery(argv[i+1], depth)
				}
				return false
			}
			if !strings.HasPrefix(a, "-") {
				return false // sh script.sh: the script is not visible
			}
		}
		return false
	case userSwitchers[prog]:
		return false
	case prog == "celery" || prog == "celeryd":
		return celeryArgsWorker(argv[1:], prog == "celeryd")
	case strings.HasPrefix(prog, "python"):
		for i := 1; i+1 < len(argv); i++ {
			if argv[i] == "-m" {
				if argv[i+1] == "celery" {
					return celeryArgsWorker(argv[i+2:], false)
				}
				return false
			}
			if !strings.HasPrefix(argv[i], "-") {
				return false
			}
		}
	}
	return false
}

// stripWrappers removes exec, env (and its assignments), nohup, tini,
// dumb-init, poetry/pipenv/uv run and leading VAR=value words.
func stripWrappers(argv []string) []string {
	for len(argv) > 0 {
		p := path.Base(argv[0])
		switch {
		case p == "exec" || p == "nohup" || p == "time":
			argv = argv[1:]
		case p == "env":
			argv = argv[1:]
			for len(argv) > 0 && (strings.Contains(argv[0], "=") || strings.HasPrefix(argv[0], "-")) {
				if strings.HasPrefix(argv[0], "C_FORCE_ROOT=") && argv[0] != "C_FORCE_ROOT=" {
					return nil // set on the command line
				}
				argv = argv[1:]
			}
		case p == "tini" || p == "dumb-init":
			argv = argv[1:]
			for len(argv) > 0 && strings.HasPrefix(argv[0], "-") {
				argv = argv[1:]
			}
		case (p == "poetry" || p == "pipenv" || p == "uv") && len(argv) > 1 && argv[1] == "run":
			argv = argv[2:]
		case strings.Contains(argv[0], "=") && !strings.HasPrefix(argv[0], "-") && !strings.Contains(argv[0], "/"):
			if strings.HasPrefix(argv[0], "C_FORCE_ROOT=") && argv[0] != "C_FORCE_ROOT=" {
				return nil
			}
			argv = argv[1:]
		default:
			return argv
		}
	}
	return argv
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

// scriptStartsCelery splits a shell script into simple commands and looks
// for a Celery worker among them.
func scriptStartsCelery(script string, depth int) bool {
	for _, cmd := range workspace.SplitScript(script) {
		argv := make([]string, len(cmd))
		for i, w := range cmd {
			argv[i] = w.Value
		}
		if celeryIn(argv, depth+1) {
			return true
		}
	}
	return false
}
