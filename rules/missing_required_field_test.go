package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/rules"
)

func TestMissingRequiredField(t *testing.T) {
	ruletest.Run(t, "testdata/missing-required-field", rules.MissingRequiredField)
}
