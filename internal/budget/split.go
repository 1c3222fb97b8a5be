package budget

import (
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// IdleFloor is the part of the budget a replica with no work waiting keeps
// while others have some: enough that a new interactive request on it is
// served at once (every limiter keeps a burst of at least one call) and
// makes the replica publish demand at its next heartbeat, small enough that
// with two replicas a busy one gets 96 % of the budget.
const IdleFloor = 0.04

// split is owner's part of the budget among the live leases: equal parts when
// all or none of them have work waiting; otherwise each idle replica keeps
// IdleFloor (less when there are so many idle ones that their floors would
// take more than half) and those with work waiting share the rest equally.
// The parts of all live replicas add up to exactly 1.
func split(live []audit.ReplicaLease, owner string) float64 {
	n, busy, ownBusy := len(live), 0, false
	for _, l := range live {
		if l.Demand {
			busy++
			ownBusy = ownBusy || l.Owner == owner
		}
	}
	if n == 0 {
		return 1
	}
	if busy == 0 || busy == n {
		return 1 / float64(n)
	}
	idle := n - busy
	floor := min(IdleFloor, 0.5/float64(idle))
	if !ownBusy {
		return floor
	}
	return (1 - floor*float64(idle)) / float64(busy)
}

// alive is the leases that run past now, with owner's own always counted.
func alive(leases []audit.ReplicaLease, now time.Time, owner string) []audit.ReplicaLease {
	out := make([]audit.ReplicaLease, 0, len(leases)+1)
	own := false
	for _, l := range leases {
		if l.Owner == owner || l.Until.After(now) {
			out = append(out, l)
			own = own || l.Owner == owner
		}
	}
	if !own {
		out = append(out, audit.ReplicaLease{Owner: owner})
	}
	return out
}

// othersLose reports whether a replica other than owner has a smaller part
// in the split of now than in the split of before: that one lowers its rate
// only at its own next renewal.
func othersLose(now, before []audit.ReplicaLease, owner string) bool {
	for _, l := range now {
		if l.Owner == owner {
			continue
		}
		for _, b := range before {
			if b.Owner == l.Owner && split(now, l.Owner) < split(before, l.Owner) {
				return true
			}
		}
	}
	return false
}
