package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/rules"
)

// The suppression rules are reported by the engine about the ignores of
// other rules' findings, so these tests run them with a few real rules.
func withRules(rs ...*rules.Rule) func(*engine.Options) {
	return func(o *engine.Options) { o.Rules = rs }
}

func TestUnusedIgnore(t *testing.T) {
	ruletest.Run(t, "testdata/unused-ignore", rules.UnusedIgnore,
		withRules(rules.UnusedIgnore, rules.ParseError, rules.EnvValueNotString, rules.CopyAbsoluteSource))
}

func TestIgnoreWithoutReason(t *testing.T) {
	ruletest.Run(t, "testdata/ignore-without-reason", rules.IgnoreWithoutReason,
		withRules(rules.IgnoreWithoutReason, rules.EnvValueNotString, rules.CopyAbsoluteSource))
}
