package oldimpl

// The names that differ between the twins oldimpl and newimpl.
const (
	implName = "old"
	// upstreamCommit is the golang/go commit whose src/runtime/time.go
	// time.go ports ("runtime: add timer lock to lock ranking").
	upstreamCommit = "b5a99eaa94aafb48944d877f9991b6ae943b056c"

	portFile = "oldimpl/time.go"
)
