package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/rules"
)

func TestCopyFromUnknownStage(t *testing.T) {
	ruletest.Run(t, "testdata/copy-from-unknown-stage", rules.CopyFromUnknownStage)
}
