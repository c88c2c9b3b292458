//go:build ignore

// gen writes zz_generated_table.go from data/deprecated-apis.yaml:
// go generate ./internal/apiversions.
package main

import (
	"fmt"
	"os"

	"github.com/k8slint/k8slint/internal/apiversions/gentable"
)

func main() {
	data, err := os.ReadFile("data/deprecated-apis.yaml")
	if err == nil {
		var src []byte
		if src, err = gentable.Generate(data); err == nil {
			err = os.WriteFile("zz_generated_table.go", src, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
