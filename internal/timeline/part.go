package timeline

import "github.com/timerdiff/timerdiff/internal/sim"

// Part returns the index of the first event at which the two event
// streams differ, comparing each event's M and What (not its Call, whose
// numbering is the port's, nor its Held, which follows from the events
// before it): the point where two versions part under one schedule. If
// one stream is a prefix of the other, Part returns the shorter one's
// length; if they are equal, it returns -1.
func Part(old, nw []sim.Event) int {
	for i := range min(len(old), len(nw)) {
		if old[i].M != nw[i].M || old[i].What != nw[i].What {
			return i
		}
	}
	if len(old) != len(nw) {
		return min(len(old), len(nw))
	}
	return -1
}
