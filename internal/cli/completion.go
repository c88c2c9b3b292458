package cli

import (
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/k8slint/k8slint/rules"
)

// cmdCompletion prints a shell completion script: subcommands, flags, the
// values of the enumerated flags and rule IDs for --enable, --disable and
// explain. `source <(k8slint completion bash)`.
func cmdCompletion(env Env, args []string) int {
	fs := newFlags(env, "completion", subcommands["completion"].usage)
	if err := fs.Parse(args); err != nil {
		return flagError(env, fs, err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(env.Stderr, "Usage: %s\n", subcommands["completion"].usage)
		return ExitUsage
	}
	c := completionWords()
	var script string
	switch fs.Arg(0) {
	case "bash":
		script = bashCompletion(c)
	case "zsh":
		script = "#compdef k8slint\nautoload -U +X bashcompinit && bashcompinit\n" + bashCompletion(c)
	case "fish":
		script = fishCompletion(c)
	default:
		fmt.Fprintf(env.Stderr, "k8slint completion: unknown shell %q (want bash, zsh or fish)\n", fs.Arg(0))
		return ExitUsage
	}
	fmt.Fprint(env.Stdout, script)
	return ExitOK
}

type words struct {
	commands, flags, rules []string
	values                 map[string][]string // flag -> its values
}

func completionWords() words {
	w := words{values: map[string][]string{
		"--format":  {"text", "json", "sarif", "github"},
		"--color":   {"auto", "always", "never"},
		"--fail-on": {"error", "warning", "info", "never"},
	}}
	for name := range subcommands {
		w.commands = append(w.commands, name)
	}
	sort.Strings(w.commands)
	for _, r := range rules.All() {
		w.rules = append(w.rules, r.ID)
	}
	mainFlags().VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			w.flags = append(w.flags, "-"+f.Name)
		} else {
			w.flags = append(w.flags, "--"+f.Name)
		}
	})
	return w
}

func bashCompletion(w words) string {
	var cases strings.Builder
	for _, f := range []string{"--format", "--color", "--fail-on"} {
		fmt.Fprintf(&cases, "    %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", f, strings.Join(w.values[f], " "))
	}
	return fmt.Sprintf(`# bash completion for k8slint: source <(k8slint completion bash)
_k8slint() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
%s    --enable|--disable) COMPREPLY=($(compgen -W %q -- "$cur")); return ;;
    --config|--output|--stdin-filename) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [ "$COMP_CWORD" -ge 2 ] && [ "${COMP_WORDS[1]}" = explain ]; then
    COMPREPLY=($(compgen -W %q -- "$cur")); return
  fi
  if [ "$COMP_CWORD" -eq 1 ] && [[ "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W %q -- "$cur") $(compgen -f -- "$cur")); return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W %q -- "$cur")); return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _k8slint k8slint
`, cases.String(), strings.Join(w.rules, " "), strings.Join(w.rules, " "), strings.Join(w.commands, " "), strings.Join(w.flags, " "))
}

func fishCompletion(w words) string {
	var b strings.Builder
	b.WriteString("# fish completion for k8slint: k8slint completion fish | source\n")
	fmt.Fprintf(&b, "complete -c k8slint -n __fish_use_subcommand -f -a %q\n", strings.Join(w.commands, " "))
	fmt.Fprintf(&b, "complete -c k8slint -n '__fish_seen_subcommand_from explain' -f -a %q\n", strings.Join(w.rules, " "))
	for _, f := range w.flags {
		name := strings.TrimLeft(f, "-")
		opt := "-l " + name
		if len(name) == 1 {
			opt = "-s " + name
		}
		switch {
		case len(w.values[f]) > 0:
			fmt.Fprintf(&b, "complete -c k8slint %s -x -a %q\n", opt, strings.Join(w.values[f], " "))
		case f == "--enable" || f == "--disable":
			fmt.Fprintf(&b, "complete -c k8slint %s -x -a %q\n", opt, strings.Join(w.rules, " "))
		default:
			fmt.Fprintf(&b, "complete -c k8slint %s\n", opt)
		}
	}
	return b.String()
}
