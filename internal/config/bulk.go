package config

import (
	"time"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// MaxBulkTargets is the most users one bulk job may act on (one per line of a
// pasted list, a filter's matches or an import's rows).
const MaxBulkTargets = 10000

// Bulk holds the settings of bulk jobs (bulk, import).
type Bulk struct {
	// ApprovalAbove makes a job wait for approval under the approvals rule for
	// action bulk (its approvers, channel and expiry) when it acts on more
	// than this many users together with the requester's other jobs that
	// started without approval within Window, so many small jobs cannot add up
	// around it. 0, the default, means every job, when such a rule exists.
	// Whatever the size, a job of an action with its own approval rule
	// (delete) is approved under that rule (see package policy).
	ApprovalAbove int `yaml:"approval_above,omitempty"`
	// Window is how far back a requester's unapproved jobs count together
	// against ApprovalAbove (24h).
	Window Duration `yaml:"window,omitempty"`
	// MaxExports is how many exports one replica runs at once (4); more wait
	// for a replica with room. Each person runs one at a time.
	MaxExports int `yaml:"max_exports,omitempty"`
}

// DefaultBulkWindow is how far back a requester's jobs count together
// against bulk.approval_above.
const DefaultBulkWindow = Duration(24 * time.Hour)

func (c *Config) validateBulk(p *Problems) {
	n := c.Bulk.ApprovalAbove
	switch {
	case n < 0:
		p.add("bulk.approval_above", "must be 0 (every job) or a positive number of users")
	case n >= MaxBulkTargets:
		p.add("bulk.approval_above", "%d would never apply: a job acts on at most %d users", n, MaxBulkTargets)
	case c.Bulk.MaxExports < 0:
		p.add("bulk.max_exports", "must be a positive number of exports per replica (0: the default, 4)")
	case c.Bulk.Window < 0:
		p.add("bulk.window", "must be a positive duration such as 24h")
	case n > 0 && !c.hasApprovalRule(actions.Bulk):
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
