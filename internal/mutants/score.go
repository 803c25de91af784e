package mutants

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
)

// Result is what the killer found for one mutant.
type Result struct {
	Name     string `json:"name"`
	Killed   bool   `json:"killed"`
	By       string `json:"by,omitempty"`     // the corpus file, or "campaign:SEED:INDEX"
	Op       int    `json:"op"`               // the op where the versions diverged
	Kind     string `json:"kind,omitempty"`   // what differed (compare.Kind, or "timeout")
	Detail   string `json:"detail,omitempty"` // the call and what each version did
	Programs int    `json:"programs,omitempty"`
	Millis   int64  `json:"millis,omitempty"` // campaign wall time to the kill
	Script   string `json:"script,omitempty"` // the killing campaign program
}

// Run runs a killer binary with args (see cmd/killer) and returns its
// results by mutant name.
func Run(bin string, args ...string) (map[string]Result, error) {
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, errb.String())
	}
	res := map[string]Result{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("killer output %q: %w", sc.Text(), err)
		}
		res[r.Name] = r
	}
	return res, sc.Err()
}
