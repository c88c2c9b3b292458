//go:build !race

package cmdline

const raceEnabled = false
