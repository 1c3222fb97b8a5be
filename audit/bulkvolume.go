package audit

// Volume is how many users one requester's bulk jobs that started without
// approval acted on, in the current window bucket and the one before. Any
// span of one window ending now lies within the two buckets, so checking
// Total against a threshold before each job stops a requester from splitting
// a big job into small ones within a window.
type Volume struct {
	// Bucket is the current bucket's number (time since the epoch / window).
	Bucket            int64
	Current, Previous int
}

// Total is what the two buckets hold together.
func (v Volume) Total() int { return v.Current + v.Previous }
