// Command gencorpus writes k8slint's synthetic benchmark corpus:
//
//	go run ./internal/gencorpus/cmd/gencorpus -n 10000 -d 100 /tmp/corpus
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/k8slint/k8slint/internal/gencorpus"
)

func main() {
	n := flag.Int("n", 10000, "number of manifest files")
	d := flag.Int("d", 100, "number of directories (1: all files in DIR itself)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gencorpus [-n FILES] [-d DIRS] DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *n < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := gencorpus.Write(flag.Arg(0), *n, *d); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}
