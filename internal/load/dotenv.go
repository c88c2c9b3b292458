package load

import (
	"github.com/compose-spec/compose-go/v2/dotenv"
)

// DotEnv is a .env file as docker compose reads it for interpolation.
type DotEnv struct {
	Path string
	Vars map[string]string
	// Err is set when compose would refuse the file.
	Err error
}

// LoadDotEnv parses a .env file with compose-spec's own dotenv parser.
// Variables it refers to that the file does not define are unknown here
// (they come from the shell of whoever runs compose): they resolve to
// nothing, and the compose interpolation that uses them is not trusted.
func LoadDotEnv(path string, data []byte) *DotEnv {
	vars, err := dotenv.UnmarshalBytesWithLookup(data, func(string) (string, bool) { return "", false })
	return &DotEnv{Path: path, Vars: vars, Err: err}
}
