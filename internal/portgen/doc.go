// Package portgen makes the port packages: each is upstream's
// src/runtime/time.go at one commit of the timer-lock series, changed only
// mechanically (Port), plus one glue shared by all of them, generated from
// templates. cmd/genports writes them; `go generate ./...` runs it in each
// port's directory.
//
// Inputs, all in this module so that a clean clone regenerates the same
// bytes:
//
//   - upstream/<short>/time.go.txt: upstream's file at each commit of
//     Series, unmodified (its git blob hash is Commit.Blob);
//   - glue/*.go.in: the glue, Go source starting "package __PACKAGE__";
//     name.go.in holds what differs between ports (__IMPL_NAME__,
//     __COMMIT__, __TITLE__, __PORT_FILE__).
//
// Outputs, one directory per Target: oldimpl (b5a99eaa, named "old") and
// newimpl (2fb5ef88, "new"), the pair under test, and internal/series/v<short>
// for the other five commits (named by their short hash).
//
// Invariants, each checked by this package's tests:
//
//   - Unport(Port(x, pkg), pkg) == x byte for byte, for every upstream file
//     (Port itself fails otherwise); Port adds the same notes block to every
//     port, so two ports differ only in their package clause and upstream's
//     changes.
//   - Every vendored upstream file has the blob hash that Series and
//     upstream/README.md give.
//   - Every file in a port directory, except tests, is what Generate makes
//     now (TestGeneratedUpToDate): so the glue of all ports is one text, and
//     an edit to a port instead of to glue/ or upstream/ fails the tests.
//   - Generated glue files start with Go's "// Code generated ... DO NOT
//     EDIT." line. time.go does not: its text is upstream's with exactly the
//     edits its notes block lists, which internal/faithful undoes with
//     Unport.
package portgen
