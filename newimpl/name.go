package newimpl

// The names that differ between the twins oldimpl and newimpl.
const (
	implName = "new"
	// upstreamCommit is the golang/go commit whose src/runtime/time.go
	// time.go ports ("runtime: use timer.lock in modtimer").
	upstreamCommit = "2fb5ef889bf86dfb25880cf087a3e02f7100df29"

	portFile = "newimpl/time.go"
)
