// Package commit is the timer-lock series of golang/go that package
// portgen ports: a table with no dependencies, so that the packages that
// only name the series (versions, and through it the fuzz targets) link
// neither the generator nor its regexp, go/parser and crypto, whose
// coverage counters the native fuzzing engine would diff after every
// input (fuzz/doc.go).
package commit

// Commit is one commit of the timer-lock series of golang/go.
type Commit struct {
	Short string // the first 8 hex digits of Full: the folder under upstream/
	Full  string // the commit hash
	Blob  string // the git blob hash of src/runtime/time.go at the commit
	Title string // the first line of the commit message
}

// Series is the timer-lock series, oldest first; each commit is the child
// of the one before. Every commit changes only src/runtime/time.go
// (b5a99eaa also the lock ranking), and all seven share one status set and
// one runtime interface, so one glue fits them all.
var Series = []Commit{
	{"51df232b", "51df232b122b77c1bb066e53300247ec68695743", "90d2f6e39a21c67d3df963ccfc0606becfb3062b", "runtime: use timer.lock in deltimer"},
	{"b5a99eaa", "b5a99eaa94aafb48944d877f9991b6ae943b056c", "e88c3f9b2ea7aad27aeed21356f15bf2eb15596e", "runtime: add timer lock to lock ranking"},
	{"2fb5ef88", "2fb5ef889bf86dfb25880cf087a3e02f7100df29", "5a8f516ccad2e24ecd55d97bbb14e12b77738423", "runtime: use timer.lock in modtimer"},
	{"58911599", "58911599e8dc25898c3017dd6655540fb9b976b1", "2b82306812c51bf54e60f61655aced1923556e7f", "runtime: use timer.lock in cleantimers"},
	{"d1e8dc25", "d1e8dc25ff36694b5fdc8045325502e186b702f2", "f94ad991960f600fa234167987848cc691c200fd", "runtime: use timer.lock in runtimer"},
	{"1df6db8e", "1df6db8e4fe0c8adf72e8533a09b46cad176eb42", "251fe8eb49ed72483b0179fce6767a0b4df9f897", "runtime: use timer.lock in adjusttimers"},
	{"c6888d92", "c6888d9264c481e61daa7ab0a8e603cdcb67b897", "6c9333e55b51dc2f428e1d0f0520a9be6c288f51", "runtime: use timer.lock in moveTimers"},
}
