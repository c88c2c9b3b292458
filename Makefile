# k8slint — see README.md.
SHELL         := /bin/bash
GO            ?= go
GOLANGCI_LINT_VERSION := v2.15.0
GOBIN         := $(shell $(GO) env GOPATH)/bin
VERSION       ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS       := -X github.com/k8slint/k8slint/internal/cli.Version=$(VERSION)
# How k8slint is built for use (build, the release, the image, bench/): a
# static binary without Go's plugin package. kustomize's API links `plugin`
# for Go .so plugins, which k8slint never loads (its plugins are disabled:
# nothing from a linted project runs); linking it makes Go's linker export
# every symbol to the dynamic table and keep every exported method. This
# tag (kustomize's own) drops it, and CGO_ENABLED=0 leaves out the dynamic
# loader and libc: the binary's resident pages fall from 49 to 30 MB, the
# whole of a one-file run's RSS from 56 to 36 MB (docs/performance.md).
# TestReleaseBuild keeps .goreleaser.yaml, the Dockerfile and bench/ in step.
BUILD_TAGS    := kustomize_disable_go_plugin_support
BUILD_ENV     := CGO_ENABLED=0

.PHONY: all build run test test-oracle lint bench bench-compare docs clean

all: build

build:
	$(BUILD_ENV) $(GO) build -tags $(BUILD_TAGS) -ldflags "$(LDFLAGS)" -o bin/k8slint ./cmd/k8slint

# Lint the bundled example: the seed article's project with its six pitfalls.
# It has findings, so k8slint exits 1; that is the expected outcome here.
run: build
	./bin/k8slint testdata/article || test $$? -eq 1

test:
	@unformatted=$$(find cmd internal rules -name '*.go' -not -path 'internal/oracle/*' -exec gofmt -l {} +); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) build -o bin/testsummary ./internal/testsummary
	set -o pipefail; $(GO) test -json ./... | bin/testsummary
	@# yamlx's nodes are read through unsafe pointers (inlined into their
	@# readers), and the models are shared by rules running in parallel:
	@# these run again under the race detector, which also turns on
	@# checkptr's checks of that pointer arithmetic.
	$(GO) test -race ./internal/yamlx/ ./internal/load/ ./internal/workspace/ ./internal/apischema/ ./internal/apivalid/ \
		./internal/refs/ ./internal/sched/ ./internal/cmdline/ ./internal/servers/

# The API-server oracle (internal/oracle, a nested module that links
# k8s.io/kubernetes; never part of k8slint's go.mod or binary): its verdict
# table, its agreement with k8slint's rules, and the corpus run. Not part of
# `make test`: a cold first build takes minutes. Disagreements fail (a
# table document, a real corpus miss, a finding on an accepted document);
# K8SLINT_ORACLE_STRICT=0 only prints the figures.
K8SLINT_ORACLE_STRICT ?= 1
test-oracle:
	@unformatted=$$(gofmt -l internal/oracle); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	cd internal/oracle && $(GO) vet ./... && K8SLINT_ORACLE_STRICT=$(K8SLINT_ORACLE_STRICT) $(GO) test ./...

lint:
	$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	$(GOBIN)/golangci-lint run ./...

# Regenerate docs/rules and README's rule table from the rule values, and the
# generated tables (k8s.io/api structure, deprecated API versions); tests fail
# when any of them is stale.
docs:
	$(GO) generate ./internal/apiversions/ ./internal/apischema/ ./internal/docgen/

# Benchmarks (whole runs over the generated corpus -- 10k files in 100 dirs,
# 20k files, 10k in one dir -- and over ../shared/corpus, its Dockerfiles with
# their contexts alone, and the YAML parsers), with -benchmem. The generated
# trees are cached under $TMPDIR. BENCH selects benchmarks, BENCHFLAGS adds
# flags (e.g. BENCHFLAGS="-count 5 -cpuprofile cpu.out" with BENCH and one package).
BENCH      ?= .
BENCHFLAGS ?=
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(BENCHFLAGS) ./...

# Whole-process timings beside kubeconform, kube-linter and kube-score (see docs/performance.md).
bench-compare:
	bench/compare.sh

clean:
	rm -rf bin
