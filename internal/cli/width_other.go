//go:build !unix

package cli

import "os"

// terminalWidth is 0 where the width is not asked for: $COLUMNS or 80 apply.
func terminalWidth(*os.File) int { return 0 }
