// Package faithful checks that the ports under oldimpl, newimpl and
// internal/series are what they claim to be. It has no code, only tests:
//
//   - TestUpstreamText: undoing the mechanical changes listed in each
//     time.go's "port notes" header (portgen.Unport: the header itself, the
//     package clause, the three import paths of the simulated runtime's
//     stand-ins, "// go:" back to "//go:") gives upstream's
//     src/runtime/time.go byte for byte: its git blob hash is upstream's at
//     the port's commit, e.g. at the parent
//     (e88c3f9b2ea7aad27aeed21356f15bf2eb15596e) and at 2fb5ef88
//     (5a8f516ccad2e24ecd55d97bbb14e12b77738423).
//   - TestOnlyModtimerDiffers: oldimpl/time.go and newimpl/time.go declare
//     the same top-level functions, methods, types, constants and
//     variables, and modtimer is the only one whose source text (comments
//     included) differs.
//
// The rest of each port, its glue, is generated from one set of templates
// by internal/portgen, whose TestGeneratedUpToDate checks that every port
// holds exactly the generated files: so the glue is the same in all ports.
//
// Together they let a reviewer trust that a divergence found by the
// tester comes from the commit under test and not from the port.
package faithful
