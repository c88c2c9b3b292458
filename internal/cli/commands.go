package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/k8slint/k8slint/internal/config"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/report"
	"github.com/k8slint/k8slint/rules"
)

// A subcommand runs when the first argument is its name. A directory of the
// same name is linted when written as a path (k8slint ./rules), as the go
// command does with packages.
type subcommand struct {
	usage string
	run   func(env Env, args []string) int
}

var subcommands map[string]subcommand

func init() {
	subcommands = map[string]subcommand{
		"rules":      {"k8slint rules [--format text|json]        list every rule: id, severity, summary", cmdRules},
		"explain":    {"k8slint explain RULE...                   print a rule's documentation", cmdExplain},
		"completion": {"k8slint completion bash|zsh|fish          print a shell completion script", cmdCompletion},
		"version":    {"k8slint version                           print the version and the Go version", cmdVersion},
		"config":     {"k8slint config init [--force] [FILE|-]    write a commented default .k8slint.yaml", cmdConfig},
		"cache":      {"k8slint cache clean|dir                   remove the findings cache, or print its directory", cmdCache},
	}
}

func subcommandUsage() string {
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString("  " + subcommands[n].usage + "\n")
	}
	return b.String()
}

// shadowNote tells, when a directory has a subcommand's name, how to lint it.
func shadowNote(env Env, name string) {
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		fmt.Fprintf(env.Stderr, "k8slint: note: %q runs the subcommand; to lint the directory, write ./%s\n", name, name)
	}
}

func newFlags(env Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("k8slint "+name, flag.ContinueOnError)
	quietFlags(fs, env, func() {
		fmt.Fprintf(env.Stderr, "Usage: %s\n", usage)
		fs.PrintDefaults()
	})
	return fs
}

// quietFlags makes fs print nothing on a parse error (flagError says it in
// one line) and help (usage) only when asked for with -h or --help.
func quietFlags(fs *flag.FlagSet, env Env, help func()) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // the flag package calls it on errors too
	helps.Store(fs, func() {
		fs.SetOutput(env.Stderr)
		help()
		fs.SetOutput(io.Discard)
	})
}

// helps holds each flag set's help printer (see quietFlags).
var helps sync.Map

// flagError reports a flag parse error in one line and returns the exit
// code: 0 for -h/--help (the help was printed), else 2.
func flagError(env Env, fs *flag.FlagSet, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		if h, ok := helps.Load(fs); ok {
			h.(func())()
		}
		return ExitOK
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		msg = "unknown flag -" + strings.TrimLeft(name, "-")
		if len(strings.TrimLeft(name, "-")) > 1 {
			msg = "unknown flag --" + strings.TrimLeft(name, "-")
		}
	}
	if i := strings.LastIndex(msg, ": -"); i >= 0 && len(strings.Fields(msg[i+3:])) == 1 && len(msg[i+3:]) > 1 && !strings.HasPrefix(msg[i+3:], "-") {
		msg = msg[:i] + ": --" + msg[i+3:] // long flags are written --name
	}
	fmt.Fprintf(env.Stderr, "%s: %s; see %s --help\n", fs.Name(), diag.Clean(msg), fs.Name())
	return ExitUsage
}

func cmdRules(env Env, args []string) int {
	fs := newFlags(env, "rules", subcommands["rules"].usage)
	format := fs.String("format", "text", "output format: text or json")
	configPath := fs.String("config", "", "configuration file (default: the nearest "+discovery.ConfigName+")")
	if err := fs.Parse(args); err != nil {
		return flagError(env, fs, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "k8slint rules: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	shadowNote(env, "rules")
	// The severity and whether the rule runs, under the configuration in use.
	cwd, _ := os.Getwd()
	cfg, err := loadConfig(*configPath, cwd)
	if err != nil {
		fmt.Fprintln(env.Stderr, diag.Clean(err.Error()))
		return ExitUsage
	}
	var eo engine.Options
	if cfg != nil {
		applyConfig(cfg, &eo)
	}
	defaults := engine.RuleInfos(rules.All())
	infos := ruleInfosFor(eo)
	switch *format {
	case "text":
		if cfg != nil {
			fmt.Fprintf(env.Stdout, "Configuration: %s\n\n", diag.Clean(displayPath(cwd, cfg.Path)))
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tSEVERITY\tENABLED\tSUMMARY")
		for i, r := range infos {
			sev := r.Severity.String()
			if r.Severity != defaults[i].Severity {
				sev += " (default " + defaults[i].Severity.String() + ")"
			}
			on := "yes"
			if r.Disabled {
				on = "no"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, sev, on, r.Summary)
		}
		if err := tw.Flush(); err != nil {
			return ExitUsage
		}
		fmt.Fprintln(env.Stdout, "\nk8slint explain RULE prints a rule's documentation.")
	case "json":
		type jr struct {
			ID              string `json:"id"`
			Severity        string `json:"severity"`
			DefaultSeverity string `json:"defaultSeverity"`
			Enabled         bool   `json:"enabled"`
			Summary         string `json:"summary"`
			HelpURI         string `json:"helpUri"`
		}
		out := make([]jr, 0, len(infos))
		for i, r := range infos {
			out = append(out, jr{r.ID, r.Severity.String(), defaults[i].Severity.String(), !r.Disabled, r.Summary, r.DocURL})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return ExitUsage
		}
	default:
		fmt.Fprintf(env.Stderr, "k8slint rules: --format: unknown format %q (want text or json)\n", *format)
		return ExitUsage
	}
	return ExitOK
}

func cmdExplain(env Env, args []string) int {
	fs := newFlags(env, "explain", subcommands["explain"].usage)
	if err := fs.Parse(args); err != nil {
		return flagError(env, fs, err)
	}
	if fs.NArg() == 0 {
		if h, ok := helps.Load(fs); ok {
			h.(func())()
		}
		return ExitUsage
	}
	infos := engine.RuleInfos(rules.All())
	byID := map[string]report.RuleInfo{}
	ids := make([]string, 0, len(infos))
	for _, r := range infos {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	var pages []string
	for _, id := range fs.Args() {
		r, ok := byID[id]
		if !ok {
			msg := fmt.Sprintf("k8slint explain: unknown rule %q", id)
			if s := closest(id, ids); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			fmt.Fprintln(env.Stderr, msg+"; k8slint rules lists them")
			return ExitUsage
		}
		pages = append(pages, report.RuleMarkdown(r))
	}
	fmt.Fprint(env.Stdout, strings.Join(pages, "\n"))
	return ExitOK
}

// closest returns the rule ID nearest to s: one that contains it, or one
// within a few edits.
func closest(s string, ids []string) string {
	for _, id := range ids {
		if strings.Contains(id, s) {
			return id
		}
	}
	best, bestD := "", 4
	for _, id := range ids {
		if d := config.Distance(s, id); d < bestD {
			best, bestD = id, d
		}
	}
	return best
}

func cmdConfig(env Env, args []string) int {
	if len(args) == 0 || args[0] != "init" {
		fmt.Fprintf(env.Stderr, "Usage: %s\n", subcommands["config"].usage)
		if len(args) == 0 {
			return ExitUsage
		}
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			return ExitOK
		}
		fmt.Fprintf(env.Stderr, "k8slint config: unknown subcommand %q\n", args[0])
		return ExitUsage
	}
	fs := newFlags(env, "config init", subcommands["config"].usage)
	force := fs.Bool("force", false, "overwrite an existing file")
	files, err := parseInterspersed(fs, args[1:]) // flags before or after the file
	if err != nil {
		return flagError(env, fs, err)
	}
	if len(files) > 1 {
		fmt.Fprintf(env.Stderr, "k8slint config init: one file at most, got %d\n", len(files))
		return ExitUsage
	}
	path := discovery.ConfigName
	if len(files) == 1 {
		path = files[0]
	}
	if path == "-" {
		fmt.Fprint(env.Stdout, config.Default)
		return ExitOK
	}
	if st, err := os.Lstat(path); err == nil && *force {
		// --force replaces a regular file; it never writes through a link
		// (to a file outside the tree) or into a FIFO or a device.
		if st.Mode()&os.ModeSymlink != 0 {
			fmt.Fprintf(env.Stderr, "k8slint config init: %s is a symbolic link; not written through it (remove it first)\n", path)
			return ExitUsage
		}
		if !st.Mode().IsRegular() {
			fmt.Fprintf(env.Stderr, "k8slint config init: %s is not a regular file; not overwritten\n", path)
			return ExitUsage
		}
		if err := replaceFile(path, config.Default); err != nil {
			fmt.Fprintf(env.Stderr, "k8slint config init: %v\n", err)
			return ExitUsage
		}
		fmt.Fprintf(env.Stderr, "k8slint: wrote %s\n", path)
		return ExitOK
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644) // O_EXCL: a dangling link fails too
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			fmt.Fprintf(env.Stderr, "k8slint config init: %s already exists (--force overwrites it)\n", diag.Clean(path))
		} else {
			fmt.Fprintf(env.Stderr, "k8slint config init: %s\n", diag.Clean(err.Error()))
		}
		return ExitUsage
	}
	_, err = f.WriteString(config.Default)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "k8slint config init: %s\n", diag.Clean(err.Error()))
		return ExitUsage
	}
	fmt.Fprintf(env.Stderr, "k8slint: wrote %s\n", diag.Clean(path))
	return ExitOK
}

// replaceFile writes text to a new file beside path and renames it over
// path: a link that appears meanwhile is replaced, never written through.
func replaceFile(path, text string) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".k8slint-*.yaml")
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}
