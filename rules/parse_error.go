package rules

import "github.com/k8slint/k8slint/internal/diag"

// ParseError is reported by the engine for input files that cannot be read
// or parsed; it has no Check of its own.
var ParseError = &Rule{
	ID:       "parse-error",
	Summary:  "An input file cannot be read or parsed",
	Severity: diag.Error,
	Doc: `A manifest, Dockerfile, .dockerignore or server config that k8slint cannot read or parse.
kubectl, the API server or ` + "`docker build`" + ` would reject it too, and no other rule can check it.

The finding points at the line and column in the **file** (not inside the YAML document) where
parsing stopped. The other documents of the same file, and all other files, are still checked.

YAML files that are not Kubernetes manifests (compose files, CI configs, Helm values) are skipped
silently, even when they do not parse: a broken file is reported only when it has ` + "`apiVersion`" + ` and
` + "`kind`" + ` keys. Helm chart templates (files with ` + "`{{`" + ` under a chart's ` + "`templates/`" + `) are skipped.

## Bad

` + "```yaml" + `
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
 data:            # wrong indentation
  key: value
` + "```" + `

## Fix

Correct the syntax at the reported position; ` + "`kubectl apply --dry-run=client -f FILE`" + ` shows the same error.`,
}
