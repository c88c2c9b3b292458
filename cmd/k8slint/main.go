// Command k8slint lints Kubernetes manifests, Dockerfiles, .dockerignore
// files and MongoDB/Redis configs. See README.md.
package main

import (
	"os"

	"github.com/k8slint/k8slint/internal/cli"
)

func main() { os.Exit(cli.Main()) }
