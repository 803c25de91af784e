package sim

// glueCapture stands for the glue between a port and the World (a file
// that is not the port's time.go): it asks for the site of its caller.
func glueCapture(w *World, skip ...string) Site { return w.Here(skip...) }
