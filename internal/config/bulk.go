package config

// MaxBulkTargets is the most users one bulk job may act on (one per line of a
// pasted list, a filter's matches or an import's rows).
const MaxBulkTargets = 10000

// Bulk holds the settings of bulk jobs (bulk, import).
type Bulk struct {
	// ApprovalAbove makes a job that acts on more than this many users wait for
	// approval under the approvals rule for action bulk (its approvers, channel
	// and expiry). 0, the default, means every job, when such a rule exists; a
	// job below the threshold is confirmed by its requester alone. Whatever the
	// size, a bulk job of an action that has its own approval rule (delete)
	// needs the bulk rule's approval, so a job never bypasses four-eyes.
	ApprovalAbove int `yaml:"approval_above,omitempty"`
}

// BulkApproval is the rule a bulk job of action acting on run users in the
// pool named pool must be approved under. refused, when not "", says why such
// a job cannot run at all: its action needs approval one user at a time and no
// rule covers bulk jobs of it.
func (c *Config) BulkApproval(action Action, pool string, run int) (rule ApprovalRule, needed bool, refused string) {
	rule, bulkRule := c.ApprovalFor(ActionBulk, pool)
	_, actionRule := c.ApprovalFor(action, pool)
	switch {
	case actionRule && !bulkRule:
		return ApprovalRule{}, false, string(action) + " needs approval for each user here, and no approvals rule covers bulk jobs; " +
			"an admin can add one for action bulk, or run it one user at a time"
	case bulkRule && (actionRule || run > c.Bulk.ApprovalAbove):
		return rule, true, ""
	}
	return ApprovalRule{}, false, ""
}

func (c *Config) validateBulk(p *Problems) {
	n := c.Bulk.ApprovalAbove
	switch {
	case n < 0:
		p.add("bulk.approval_above", "must be 0 (every job) or a positive number of users")
	case n >= MaxBulkTargets:
		p.add("bulk.approval_above", "%d would never apply: a job acts on at most %d users", n, MaxBulkTargets)
	case n > 0 && !c.hasApprovalRule(ActionBulk):
		p.add("bulk.approval_above", "no approvals rule for action bulk says who approves big jobs and where; "+
			"add one (approvals: - action: bulk, approvers: [...], channel: C…)")
	}
}

func (c *Config) hasApprovalRule(a Action) bool {
	for _, r := range c.Approvals {
		if r.Action == a {
			return true
		}
	}
	return false
}
