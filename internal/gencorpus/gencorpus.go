// Package gencorpus writes the synthetic corpus used by k8slint's benchmarks:
// N manifest files spread over D directories, each file one Deployment and
// one Service (about 30 lines, with env, resources and probes). The output
// depends only on N and D, so figures from different runs are comparable.
//
// Run it with `go run ./internal/gencorpus/cmd/gencorpus -n 10000 -d 100 DIR`.
package gencorpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Version changes whenever the generated content changes (benchmarks cache
// generated trees under a name that includes it).
const Version = 1

var images = []string{
	"nginx:1.27.3", "redis:7.4.1", "python:3.12-slim", "ghcr.io/example/api:2.3.1",
	"registry.example.com/team/worker:1.0.14", "busybox:1.36.1", "postgres:16.6", "node:22-alpine",
}

var tiers = []string{"frontend", "backend", "worker", "cache"}

// Manifest returns the content of file i: a Deployment and a Service.
func Manifest(i int) []byte {
	name := "app-" + strconv.Itoa(i)
	image := images[i%len(images)]
	tier := tiers[i%len(tiers)]
	port := 8000 + i%1000
	replicas := 1 + i%5
	cpu := 50 * (1 + i%8)
	mem := 64 << (i % 4)
	return fmt.Appendf(nil, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: ns-%[8]d
  labels: {app: %[1]s, tier: %[3]s}
spec:
  replicas: %[5]d
  selector:
    matchLabels: {app: %[1]s}
  template:
    metadata:
      labels: {app: %[1]s, tier: %[3]s}
    spec:
      containers:
      - name: main
        image: %[2]s
        ports:
        - containerPort: %[4]d
        env:
        - {name: PORT, value: "%[4]d"}
        - {name: LOG_LEVEL, value: info}
        resources:
          requests: {cpu: %[6]dm, memory: %[7]dMi}
          limits: {memory: %[7]dMi}
        readinessProbe:
          httpGet: {path: /healthz, port: %[4]d}
        livenessProbe:
          tcpSocket: {port: %[4]d}
          periodSeconds: 20
---
apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: ns-%[8]d
spec:
  selector: {app: %[1]s}
  ports:
  - port: 80
    targetPort: %[4]d
`, name, image, tier, port, replicas, cpu, mem, i%10)
}

// Write creates files manifest files spread evenly over dirs directories
// under root (dirs <= 1 puts them all in root itself).
func Write(root string, files, dirs int) error {
	if dirs < 1 {
		dirs = 1
	}
	for d := 0; d < dirs; d++ {
		if dirs > 1 {
			if err := os.MkdirAll(filepath.Join(root, dirName(d)), 0o755); err != nil {
				return err
			}
		} else if err := os.MkdirAll(root, 0o755); err != nil {
			return err
		}
	}
	for i := 0; i < files; i++ {
		dir := root
		if dirs > 1 {
			dir = filepath.Join(root, dirName(i%dirs))
		}
		p := filepath.Join(dir, fmt.Sprintf("app-%05d.yaml", i))
		if err := os.WriteFile(p, Manifest(i), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func dirName(d int) string { return fmt.Sprintf("team-%03d", d) }

// Cached returns a directory holding the corpus for (files, dirs), creating
// it under os.TempDir() on first use and reusing it afterwards (a marker file
// is written last, so an interrupted generation is redone).
func Cached(files, dirs int) (string, error) {
	root := filepath.Join(os.TempDir(), fmt.Sprintf("k8slint-gencorpus-v%d-%d-%d", Version, files, dirs))
	marker := filepath.Join(root, ".complete")
	if _, err := os.Stat(marker); err == nil {
		return root, nil
	}
	if err := os.RemoveAll(root); err != nil {
		return "", err
	}
	if err := Write(root, files, dirs); err != nil {
		return "", err
	}
	return root, os.WriteFile(marker, nil, 0o644)
}
