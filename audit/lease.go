package audit

import "time"

// ReplicaLease is one live replica as its lease row says: until when its
// lease runs and whether it had work waiting on the Cognito budget at its
// last heartbeat (internal/budget splits the budget among those that do).
type ReplicaLease struct {
	Owner  string
	Until  time.Time
	Demand bool
}
