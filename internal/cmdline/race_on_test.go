//go:build race

package cmdline

const raceEnabled = true
