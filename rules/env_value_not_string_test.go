package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/rules"
)

func TestEnvValueNotString(t *testing.T) {
	ruletest.Run(t, "testdata/env-value-not-string", rules.EnvValueNotString)
}
