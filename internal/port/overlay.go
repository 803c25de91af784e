package port

import "strconv"

// Overlay is the go command's -overlay file this binary was built with,
// as a path relative to the module root, or "" when it was built without
// one or the overlay does not say. The go command does not tell a program
// about its overlay, so an overlay that replaces a port's time.go adds one
// more file to that port setting Overlay in an init function; difftest's
// session overlay (cmd/difftest/testdata/session/ov.json) does. Every
// re-run line the tool prints carries it (GoFlag), so that the line, run,
// rebuilds the same versions.
var Overlay string

// GoFlag is " -overlay FILE" for the go command lines the tool prints, or
// "" without an overlay.
func GoFlag() string {
	if Overlay == "" {
		return ""
	}
	return " -overlay " + quote(Overlay)
}

// quote quotes a path for a shell only when it needs it.
func quote(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '.' || r == '_' || r == '-') {
			return strconv.Quote(s)
		}
	}
	return s
}
