//go:build race

package load

// raceEnabled: allocation bounds do not hold under the race detector, whose
// instrumentation allocates.
const raceEnabled = true
