package apischema

import (
	"strings"

	"github.com/k8slint/k8slint/internal/config"
)

// Nearest returns the candidate a misspelt name most likely meant: one
// that differs only in case, else the closest by edit distance (at most 1
// for names up to 2 characters, 2 up to 8, else 3), or "".
func Nearest(name string, candidates []string) string {
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if strings.ToLower(c) == lower {
			return c
		}
	}
	limit := 3
	switch {
	case len(name) <= 2:
		limit = 1
	case len(name) <= 8:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		d := config.Distance(lower, strings.ToLower(c))
		// On a tie, a name of the same length wins (a transposition: nmae, name).
		if d < bestD || d == bestD && best != "" && len(c) == len(name) && len(best) != len(name) {
			best, bestD = c, d
		}
	}
	return best
}
