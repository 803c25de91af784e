package newimpl

// The names that differ between the twins oldimpl and newimpl.
const (
	implName = "new"
	portFile = "newimpl/time.go"
)
