package servers

import (
	"strings"

	"github.com/k8slint/k8slint/internal/cmdline"
)

// redisArgs reads a redis-server command line as redis-server's main does:
// a first argument that is not an option is the config file; every `--name`
// starts a directive that the following non-option words are arguments of,
// appended after the config file's lines.
func redisArgs(args []cmdline.Word) (conf *cmdline.Word, ds []Directive) {
	j := 0
	if len(args) > 0 && !strings.HasPrefix(args[0].Val, "-") {
		conf, j = &args[0], 1
	}
	handled := true
	var cur *Directive
	for ; j < len(args); j++ {
		w := args[j]
		if w.Val == "-" && (j == 0 || j == len(args)-1) {
			continue // config from stdin
		}
		if handled && strings.HasPrefix(w.Val, "--") {
			fields := strings.Fields(w.Val[2:])
			if len(fields) == 0 {
				cur = nil
				continue
			}
			ds = append(ds, Directive{Name: strings.ToLower(fields[0]), Loc: w.Loc})
			cur = &ds[len(ds)-1]
			if len(fields) > 1 {
				for _, f := range fields[1:] {
					cur.Args = append(cur.Args, cmdline.Word{Val: f, Loc: w.Loc, Dynamic: w.Dynamic})
				}
				handled = true
				continue
			}
			handled = false
			next := j+1 < len(args) && strings.HasPrefix(args[j+1].Val, "--")
			if (cur.Name == "save" || cur.Name == "sentinel") && (next || j == len(args)-1) {
				handled = true // `--save` alone means save ""
			}
			continue
		}
		if cur != nil {
			cur.Args = append(cur.Args, w)
		}
		handled = true
	}
	return conf, ds
}
