// Package versions maps the commits of the timer-lock series to their
// ports: b5a99eaa to oldimpl and 2fb5ef88 to newimpl (the pair under test,
// named "old" and "new"), and the other five to the packages under
// internal/series, named by their short hash. Every commit of
// portgen.Series (commit.Series) has exactly one Version (checked by its tests).
package versions

import (
	"fmt"
	"strings"

	"github.com/timerdiff/timerdiff/internal/port"
	"github.com/timerdiff/timerdiff/internal/portgen/commit"
	"github.com/timerdiff/timerdiff/internal/series/v1df6db8e"
	"github.com/timerdiff/timerdiff/internal/series/v51df232b"
	"github.com/timerdiff/timerdiff/internal/series/v58911599"
	"github.com/timerdiff/timerdiff/internal/series/vc6888d92"
	"github.com/timerdiff/timerdiff/internal/series/vd1e8dc25"
	"github.com/timerdiff/timerdiff/newimpl"
	"github.com/timerdiff/timerdiff/oldimpl"
)

// Version is one commit of the series and the port that runs it.
type Version struct {
	commit.Commit // Short, Full, Blob, Title
	Impl          port.Impl
}

// impls is each commit's port, by short hash.
var impls = map[string]port.Impl{
	"51df232b": v51df232b.Impl,
	"b5a99eaa": oldimpl.Impl,
	"2fb5ef88": newimpl.Impl,
	"58911599": v58911599.Impl,
	"d1e8dc25": vd1e8dc25.Impl,
	"1df6db8e": v1df6db8e.Impl,
	"c6888d92": vc6888d92.Impl,
}

// All returns every version, oldest first.
func All() []Version {
	vs := make([]Version, len(commit.Series))
	for i, c := range commit.Series {
		vs[i] = Version{Commit: c, Impl: impls[c.Short]}
	}
	return vs
}

// isHexPrefix reports whether p is 7 to 40 lower-case hex digits. Not a
// regexp: the fuzz targets link this package, and the native engine
// diffs the coverage counters of everything they link after every input.
func isHexPrefix(p string) bool {
	if len(p) < 7 || len(p) > 40 {
		return false
	}
	for _, c := range []byte(p) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Lookup returns the version whose commit hash starts with prefix: at least
// 7 hex digits (upper or lower case), which must match exactly one commit
// of the series.
func Lookup(prefix string) (Version, error) {
	p := strings.ToLower(prefix)
	if !isHexPrefix(p) {
		return Version{}, fmt.Errorf("versions: %q is not a commit hash prefix (want 7 to 40 hex digits)", prefix)
	}
	var found []Version
	var shorts []string
	for _, v := range All() {
		shorts = append(shorts, v.Short)
		if strings.HasPrefix(v.Full, p) {
			found = append(found, v)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Version{}, fmt.Errorf("versions: no commit of the series starts with %s (the series: %s)", prefix, strings.Join(shorts, ", "))
	default:
		return Version{}, fmt.Errorf("versions: %s is ambiguous: %d commits of the series start with it", prefix, len(found))
	}
}
