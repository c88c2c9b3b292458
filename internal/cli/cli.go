// Package cli is k8slint's command line: it parses flags, runs the engine,
// writes the report and returns the exit code. cmd/k8slint only calls Main.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/config"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/report"
	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/rules"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
)

// Version is set with -ldflags "-X github.com/k8slint/k8slint/internal/cli.Version=v1.2.3".
var Version = ""

// VersionString is k8slint's version: the module version from the build
// info when it is known (`go install …@v0.2.0` gives v0.2.0), else the
// version the Makefile stamps with -ldflags -X (`git describe`), else "dev".
func VersionString() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	if Version != "" {
		return Version
	}
	return "dev"
}

func cmdVersion(env Env, args []string) int {
	fs := newFlags(env, "version", subcommands["version"].usage)
	if err := fs.Parse(args); err != nil {
		return flagError(env, fs, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "k8slint version: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	fmt.Fprintf(env.Stdout, "k8slint %s (%s %s/%s)\n", VersionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return ExitOK
}

const usageText = `k8slint: a linter for Kubernetes manifests, Dockerfiles, .dockerignore files
and MongoDB/Redis configs, checked across files.

Usage:
  k8slint [flags] [PATH...]     lint files and directories (default ".")
  k8slint [flags] - [PATH...]   lint standard input too (one manifest stream,
                                or the kind --stdin-filename names)

The project root of a PATH is the nearest directory at or above it with .git,
else with .k8slint.yaml, else the directory itself (a file's own directory).
Nothing above a root is read, and files whose real path lies outside it (links
out of the tree) are skipped. When PATHs name files (as pre-commit passes
staged files), their whole project is loaded, and the findings in those files,
or with a related location in them, are reported.

Commands (a first argument that names one runs it; write ./rules to lint a
directory named rules):
%s
Flags:
`

const exitText = `
Exit codes:
  0  no finding at or above --fail-on (info findings never fail by default)
  1  some finding is at or above --fail-on
  2  usage error (bad flag, missing path, bad configuration) or no input could
     be read; paths that hold nothing k8slint lints exit 0 with a note
`

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Env is the process environment the CLI runs in.
type Env struct {
	Args   []string // without the program name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// IsTerminal reports whether Stdout is a terminal (for --color auto).
	IsTerminal bool
	// Width is the terminal's width in columns (0: not known).
	Width int
}

// Main runs k8slint in the real process environment.
func Main() int {
	tuneGC(os.Getenv)
	return Run(Env{
		Args: os.Args[1:], Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, IsTerminal: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		Width: terminalWidth(os.Stdout),
	})
}

type options struct {
	format, colorMode, failOn, stdinName string
	output, configPath                   string
	excludes                             stringList
	verbose, version, compact, noCache   bool
	jobs                                 int
	maxFileSize                          string
	kubeVersion                          string
	nodeCapacity                         stringList
	enable, disable                      stringList
}

// Run runs k8slint and returns the exit code.
func Run(env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(env.Args) > 0 {
		if cmd, ok := subcommands[env.Args[0]]; ok {
			return cmd.run(env, env.Args[1:])
		}
	}
	var o options
	fs := mainFlagSet(&o)
	quietFlags(fs, env, func() {
		fmt.Fprintf(env.Stderr, usageText, subcommandUsage())
		fs.PrintDefaults()
		fmt.Fprint(env.Stderr, exitText)
	})

	paths, err := parseInterspersed(fs, env.Args)
	if err != nil {
		return flagError(env, fs, err)
	}
	if o.version {
		return cmdVersion(env, nil)
	}
	usage := func(format string, a ...any) int {
		// Usage errors name paths and values from the command line and the
		// tree: control characters are escaped (diag.Clean).
		fmt.Fprintln(env.Stderr, diag.Clean(fmt.Sprintf("k8slint: "+format, a...)))
		return ExitUsage
	}
	failOn, err := diag.ParseThreshold(o.failOn)
	if err != nil {
		return usage("--fail-on: %v", err)
	}
	if o.jobs < 0 || flagSet(fs, "j") && o.jobs < 1 {
		return usage("-j: %d is not a number of parallel jobs (want 1 or more)", o.jobs)
	}
	enable, err := ruleList(o.enable)
	if err != nil {
		return usage("--enable: %v", err)
	}
	disable, err := ruleList(o.disable)
	if err != nil {
		return usage("--disable: %v", err)
	}
	cwd, _ := os.Getwd()
	switch o.format {
	case "text", "json", "sarif", "github":
	default:
		return usage("--format: unknown format %q (want text, json, sarif or github)", o.format)
	}
	if o.output != "" {
		env.IsTerminal = false
	}
	useColor, err := colorEnabled(o.colorMode, env)
	if err != nil {
		return usage("--color: %v", err)
	}
	maxSize, err := parseSize(o.maxFileSize)
	if err != nil {
		return usage("--max-file-size: %v", err)
	}
	ws := workspace.Settings{}
	if o.kubeVersion != "" {
		kv, err := settings.ParseKubeVersion(o.kubeVersion)
		if err != nil {
			return usage("--kube-version: %v", err)
		}
		ws.KubeVersion = kv.String()
	}
	for _, nc := range o.nodeCapacity {
		spec, err := settings.ParseNodeCapacity(nc)
		if err != nil {
			return usage("--node-capacity: %v", err)
		}
		ws.Nodes = append(ws.Nodes, spec)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}

	var info func(string)
	var skip func(path, reason string)
	if o.verbose {
		info = func(msg string) { fmt.Fprintln(env.Stderr, "k8slint: info: "+diag.Clean(msg)) }
		skip = func(path, reason string) {
			info(fmt.Sprintf("%s: skipped: %s", report.RelPath(cwd, path), reason))
		}
	}
	groups := groupPaths(paths, cwd, o.stdinName, o.configPath)
	configs := map[string]*config.Config{}
	for _, g := range groups {
		if g.cfgPath == "" || configs[g.cfgPath] != nil {
			continue
		}
		cfg, err := readConfig(g.cfgPath, g.root, cwd, o.configPath != "")
		if err != nil {
			fmt.Fprintln(env.Stderr, diag.Clean(err.Error()))
			return ExitUsage
		}
		configs[g.cfgPath] = cfg
	}
	var store *cache.Store
	if !o.noCache {
		store = cache.Open(cacheDir(env))
	}
	total := &engine.Result{}
	var firstOpts *engine.Options
	failed := false
	for _, g := range groups {
		eopts := engine.Options{
			Paths: g.paths, Stdin: env.Stdin, StdinName: o.stdinName, Excludes: o.excludes,
			Jobs: o.jobs, MaxFileSize: maxSize, Info: info, Skip: skip, Root: g.root, Settings: ws,
			KeepSources: o.format == "sarif" || o.format == "text" && !o.compact,
			Cache:       store,
			Rendering:   func() { collectNormally() },
		}
		if len(o.excludes) > 0 {
			eopts.Exclusions = append(eopts.Exclusions, engine.Exclusion{Base: cwd, Globs: o.excludes, Why: "--exclude"})
		}
		groupFailOn := failOn
		if cfg := configs[g.cfgPath]; cfg != nil {
			if info != nil {
				info("configuration: " + displayPath(cwd, cfg.Path))
			}
			applyConfig(cfg, &eopts)
			if cfg.FailOn != 0 && !flagSet(fs, "fail-on") {
				groupFailOn = cfg.FailOn
			}
		}
		pickRules(&eopts, enable, disable)
		if firstOpts == nil {
			firstOpts = &eopts
		}
		res, err := engine.Run(eopts)
		if err != nil {
			var ue *discovery.UsageError
			if errors.As(err, &ue) {
				return usage("%s", ue.Msg)
			}
			return usage("%v", err)
		}
		for _, f := range res.Findings {
			if f.Severity >= groupFailOn {
				failed = true
			}
		}
		mergeResult(total, res)
	}
	res := total
	if info != nil && res.Suppressed > 0 {
		info(fmt.Sprintf("%d findings suppressed by k8slint:ignore comments, k8slint.io/ignore annotations or BuildKit check=skip", res.Suppressed))
	}
	root := groups[0].root
	for _, g := range groups[1:] {
		if g.root != root {
			root = discovery.Root(cwd) // several projects: paths outside this one stay absolute
			break
		}
	}
	in := &report.Input{
		Findings: res.Findings, Files: res.Files, Base: cwd, Root: root,
		Rules: ruleInfosFor(*firstOpts), Version: VersionString(), ReadFile: res.Source,
	}
	if o.compact && o.format != "text" {
		return usage("--compact: only for --format text")
	}
	topts := report.TextOptions{Color: useColor, Compact: o.compact, Width: textWidth(env)}
	if err := writeReport(env.Stdout, o.output, o.format, in, topts); err != nil {
		fmt.Fprintln(env.Stderr, diag.Clean(fmt.Sprintf("k8slint: writing output: %v", err)))
		return ExitUsage
	}
	if res.Files == 0 && res.Unreadable > 0 {
		fmt.Fprintln(env.Stderr, "k8slint: no input could be read")
		return ExitUsage
	}
	if res.Files == 0 && len(res.Findings) == 0 {
		fmt.Fprintln(env.Stderr, "k8slint: nothing to lint: no Kubernetes manifest, Dockerfile, .dockerignore, mongod.conf or redis.conf found (-v lists what was skipped)")
		return ExitOK
	}
	if failed {
		return ExitFindings
	}
	return ExitOK
}

// mergeResult adds the result of one project's run to total.
func mergeResult(total, res *engine.Result) {
	total.Findings = append(total.Findings, res.Findings...)
	sort.SliceStable(total.Findings, func(i, j int) bool { return diag.Less(&total.Findings[i], &total.Findings[j]) })
	total.Files += res.Files
	total.Loaded += res.Loaded
	total.Unreadable += res.Unreadable
	total.Suppressed += res.Suppressed
	if res.Sources != nil {
		if total.Sources == nil {
			total.Sources = map[string][]byte{}
		}
		for p, d := range res.Sources {
			total.Sources[p] = d
		}
	}
}

// mainFlagSet defines the flags of a lint run into o.
func mainFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("k8slint", flag.ContinueOnError)
	fs.StringVar(&o.format, "format", "text", "output format: text, json, sarif (SARIF 2.1.0) or github (GitHub Actions annotations)")
	fs.BoolVar(&o.compact, "compact", false, "with --format text: one line per finding (file:line:col: severity: headline: detail; fix [rule]), for scripts and editors' problem matchers")
	fs.StringVar(&o.output, "output", "", "write the report to this file instead of standard output")
	fs.StringVar(&o.colorMode, "color", "auto", "colour text output: auto, always or never (auto honours NO_COLOR)")
	fs.StringVar(&o.failOn, "fail-on", "warning", "lowest severity that makes the exit code 1: error, warning or info; never for a report-only run")
	fs.Var(&o.excludes, "exclude", "skip paths matching this glob (doublestar syntax, relative to the working directory or to each PATH; repeatable)")
	fs.StringVar(&o.stdinName, "stdin-filename", "", "name of the file that standard input stands for: its kind, its project, its path in findings")
	fs.BoolVar(&o.verbose, "v", false, "verbose: print every skipped file and why, and the deployment units formed, on standard error")
	fs.BoolVar(&o.verbose, "verbose", false, "same as -v")
	fs.IntVar(&o.jobs, "j", 0, "number of files and rules processed in parallel (default: the number of CPUs)")
	fs.StringVar(&o.maxFileSize, "max-file-size", "10MiB", "files larger than this are reported and not read")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.noCache, "no-cache", false, "neither read nor write the findings cache ($K8SLINT_CACHE_DIR, else k8slint in the user cache directory; k8slint cache clean empties it)")
	fs.StringVar(&o.kubeVersion, "kube-version", "", "target Kubernetes version for deprecated-api-version (default: the config file's kube-version, else "+rules.DefaultKubeVersion+", the newest release k8s.io/api knows)")
	fs.Var(&o.nodeCapacity, "node-capacity", "a node shape for insufficient-capacity: cpu=2,memory=4Gi[,pods=110][,count=3] (repeatable; replaces the Node objects of the tree)")
	fs.Var(&o.enable, "enable", "run only these rules (IDs, comma-separated; repeatable)")
	fs.Var(&o.disable, "disable", "do not run these rules (IDs, comma-separated; repeatable)")
	fs.StringVar(&o.configPath, "config", "", "configuration file (default: the "+discovery.ConfigName+" nearest to each PATH, up to its project root)")
	return fs
}

// mainFlags is the lint run's flag set (for completions).
func mainFlags() *flag.FlagSet { return mainFlagSet(&options{}) }

// ruleList reads repeatable, comma-separated rule IDs; an unknown ID is an
// error with the nearest ID.
func ruleList(vals []string) ([]string, error) {
	var ids []string
	for _, v := range vals {
		for _, id := range strings.Split(v, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if rules.ByID(id) == nil {
				msg := fmt.Sprintf("unknown rule %q", id)
				if near := closest(id, ruleIDs()); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				}
				return nil, fmt.Errorf("%s; k8slint rules lists them", msg)
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func ruleIDs() []string {
	var ids []string
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	return ids
}

// pickRules applies --enable and --disable over what the configuration chose.
func pickRules(o *engine.Options, enable, disable []string) {
	if len(enable) == 0 && len(disable) == 0 {
		return
	}
	pick := o.Rules
	if pick == nil {
		pick = rules.All()
	}
	if len(enable) > 0 {
		pick = nil
		for _, id := range enable {
			pick = append(pick, rules.ByID(id))
		}
	}
	off := map[string]bool{}
	for _, id := range disable {
		off[id] = true
	}
	o.Rules = []*rules.Rule{}
	seen := map[string]bool{}
	for _, r := range pick {
		if !off[r.ID] && !seen[r.ID] {
			seen[r.ID] = true
			o.Rules = append(o.Rules, r)
		}
	}
}

// writeReport writes the report in format to stdout, or to the file output.
func writeReport(stdout io.Writer, output, format string, in *report.Input, topts report.TextOptions) error {
	w := stdout
	var f *os.File
	if output != "" {
		var err error
		if f, err = os.Create(output); err != nil {
			return err
		}
		w = f
	}
	var err error
	switch format {
	case "json":
		err = report.JSON(w, in)
	case "sarif":
		err = report.SARIF(w, in)
	case "github":
		err = report.GitHub(w, in)
	default:
		err = report.TextWith(w, in, topts)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// parseInterspersed parses flags that may appear before, between or after
// paths (`k8slint ./deploy --format json`). "--" ends flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return paths, nil
		}
		// flag stops at the first non-flag, or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(paths, rest...), nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

func colorEnabled(mode string, env Env) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return env.IsTerminal && env.Getenv("NO_COLOR") == "" && env.Getenv("TERM") != "dumb", nil
	}
	return false, fmt.Errorf("unknown mode %q (want auto, always or never)", mode)
}

// parseSize reads a byte count with an optional KiB/MiB/GiB (or K/M/G, KB/MB/GB) suffix.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("size %q is too large (at most %d bytes)", s, int64(math.MaxInt64))
	}
	return n * mult, nil
}

// textWidth is the width text output is wrapped to: $COLUMNS when set, else
// the terminal's width, else 80 (not a terminal, or --output).
func textWidth(env Env) int {
	if n, err := strconv.Atoi(strings.TrimSpace(env.Getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	if env.IsTerminal && env.Width > 0 {
		return env.Width
	}
	return 80
}
