// Package faithful checks that the ports under oldimpl and newimpl are
// what they claim to be. It has no code, only tests:
//
//   - TestUpstreamText: undoing the mechanical changes listed in each
//     time.go's "port notes" header (the header itself, the package
//     clause, the three import paths of the simulated runtime's stand-ins,
//     "// go:" back to "//go:") gives upstream's src/runtime/time.go byte
//     for byte: its git blob hash is upstream's at the parent
//     (e88c3f9b2ea7aad27aeed21356f15bf2eb15596e) and at 2fb5ef88
//     (5a8f516ccad2e24ecd55d97bbb14e12b77738423).
//   - TestOnlyModtimerDiffers: the two time.go files declare the same
//     top-level functions, methods, types, constants and variables, and
//     modtimer is the only one whose source text (comments included)
//     differs.
//   - TestTwinsIdentical: every other non-test .go file of oldimpl except
//     name.go has a twin of the same name in newimpl that differs only in
//     the package clause, and neither package has a file the other lacks.
//
// Together they let a reviewer trust that a divergence found by the
// tester comes from the commit under test and not from the port.
package faithful
