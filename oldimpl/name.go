package oldimpl

// The names that differ between the twins oldimpl and newimpl.
const (
	implName = "old"
	portFile = "oldimpl/time.go"
)
