package load

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Variable expansion as BuildKit's dispatcher does it: every COPY/ADD source
// goes through the shell lexer of the Dockerfile's escape token (quotes,
// escapes, ${VAR:-default}, ${VAR:+x}, ...), with the stage's ENV variables
// (inherited from a parent stage named in FROM), then the stage's ARGs
// (which take their value from a global ARG of the same name when they
// have none), and before the first FROM with the global ARGs alone.
//
// Definitions are immutable nodes chained to the scope they were made in, so
// a stage shares its parent's environment instead of copying it, and values
// are expanded lazily, only when a source refers to them, each once, within
// a per-file budget of expanded bytes: `ARG A1=${A0}${A0}` … `A40` costs
// nothing until used, and then stops at the bound instead of doubling to 2^40.

// maxExpansion bounds the length of one expanded value or source, and
// expansionBudget the bytes that all expansions of one Dockerfile may produce.
const (
	maxExpansion    = 64 << 10
	expansionBudget = 16 << 20
)

// varDef is one ENV or ARG definition, chained to the definitions before it.
type varDef struct {
	key    string
	raw    string  // the value as written
	known  bool    // the value is given (false: a build argument without default)
	alias  *varDef // a stage's `ARG X` takes the global ARG X's value
	isArg  bool
	parent *varDef
	scope  scope // where raw is expanded: the definitions before this one

	// lookups caches find results from this node (definitions are immutable).
	lookups map[string]*varDef
}

// scope is what a word sees: the stage's ENV chain and ARG chain (before
// the first FROM, args holds the global ARGs and env is nil).
type scope struct {
	env, args *varDef
}

// find returns the nearest definition of key in the chain from d, or nil.
// Results are cached on d, so that a child stage whose lookups pass through
// its parent's last definition finds them in one step.
func (d *varDef) find(key string) *varDef {
	if d == nil {
		return nil
	}
	if r, ok := d.lookups[key]; ok {
		return r
	}
	var r *varDef
	for n := d; n != nil; n = n.parent {
		if n.key == key {
			r = n
			break
		}
		if c, ok := n.lookups[key]; ok {
			r = c
			break
		}
	}
	if d.lookups == nil {
		d.lookups = map[string]*varDef{}
	}
	d.lookups[key] = r
	return r
}

// expander expands words of one Dockerfile, memoising each definition's
// value (one expander per set of build arguments).
type expander struct {
	escape rune
	budget int
	memo   map[*varDef]expandResult
	// args are build arguments given from outside (compose build.args): they
	// replace the value of the ARG of that name; nil means given, value unknown.
	args map[string]*string
}

// expandResult is the outcome of expanding a word.
type expandResult struct {
	value    string
	resolved bool // every variable it uses has a known value
	tooLong  bool // the expansion exceeded the bound
}

// needsLexer: the word has something the lexer changes.
func (x *expander) needsLexer(word string) bool {
	return strings.ContainsAny(word, `$'"`) || strings.ContainsRune(word, x.escape)
}

func (x *expander) expand(word string, sc scope) expandResult {
	if !x.needsLexer(word) {
		return expandResult{value: word, resolved: true}
	}
	if x.budget <= 0 {
		return expandResult{value: word, tooLong: true}
	}
	g := &getter{x: x, sc: sc, limit: maxExpansion}
	// A Lex keeps the state of the word it processes, and the getter
	// expands values (nested words) while it runs: one Lex per word.
	res, err := shell.NewLex(x.escape).ProcessWordWithMatches(word, g)
	switch {
	case g.tooLong || len(res.Result) > maxExpansion:
		return expandResult{value: word, tooLong: true}
	case err != nil || len(res.Unmatched) > 0:
		x.budget -= len(res.Result)
		return expandResult{value: word}
	}
	x.budget -= len(res.Result)
	return expandResult{value: res.Result, resolved: true}
}

// evaluate expands a definition's value once.
func (x *expander) evaluate(d *varDef) expandResult {
	if r, ok := x.memo[d]; ok {
		return r
	}
	var r expandResult
	if v, ok := x.args[d.key]; ok && d.isArg {
		if v != nil {
			r = expandResult{value: *v, resolved: true}
		}
	} else if d.alias != nil {
		r = x.evaluate(d.alias)
	} else if d.known {
		r = x.expand(d.raw, d.scope)
	}
	if x.memo == nil {
		x.memo = map[*varDef]expandResult{}
	}
	x.memo[d] = r
	return r
}

// getter is the lexer's view of a scope during one expansion. Variables
// without a known value are reported as unset (the lexer lists them as
// unmatched), and the bytes it hands out are bounded.
type getter struct {
	x       *expander
	sc      scope
	limit   int
	tooLong bool
}

func (g *getter) Get(key string) (string, bool) {
	if g.tooLong {
		return "", true
	}
	d := g.sc.env.find(key)
	if d == nil {
		d = g.sc.args.find(key)
	}
	if d == nil {
		return "", false
	}
	r := g.x.evaluate(d)
	switch {
	case r.tooLong:
		g.tooLong = true
		return "", true
	case !r.resolved:
		return "", false
	}
	if g.limit -= len(r.value); g.limit < 0 {
		g.tooLong = true
		return "", true
	}
	return r.value, true
}

// Keys is not used by the lexer's expansion.
func (g *getter) Keys() []string { return nil }
