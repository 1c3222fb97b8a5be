package jobs

import (
	"fmt"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// MaxBulkInputs bounds the users one bulk command may name.
const MaxBulkInputs = 10000

// BulkRequest is a parsed bulk command.
type BulkRequest struct {
	Spec   actions.Spec
	Args   map[string]string
	Pool   config.Pool
	Reason string
	// inputs are the users named, or empty when filter is set.
	Inputs []string
	Filter *desk.ListSession
	// createdBefore keeps only users created before it (zero: any).
	CreatedBefore time.Time
	// guard says why the job would leave a user alone (the policy's word on
	// protected groups' members); set by the dry run.
	Guard func(cognito.User) string
	// Read, when set, is told how many users a filter has read, or how many
	// named users have been checked, so far (a check's progress message
	// shows it).
	Read func(users int)
}

// JobRefusal is why a job may not go ahead as the policy decided, or "": a
// denial, or a reason the requester must give first (the action's
// require_reason applies to its jobs).
func JobRefusal(d policy.Decision, action actions.Action) string {
	switch {
	case d.Verdict == policy.Deny:
		return d.Reason
	case d.NeedReason:
		return fmt.Sprintf("a job of %s needs a reason here; run it again with `--reason \"…\"`", action)
	}
	return ""
}

// ListFilterOf is a list session's filters as Cognito's list call takes them.
func ListFilterOf(s desk.ListSession) cognito.ListFilter {
	f := cognito.ListFilter{Status: s.Status, Attribute: s.Attr, Prefix: s.Prefix, Group: s.Group}
	if s.Enabled != "" {
		v := s.Enabled == "true"
		f.Enabled = &v
	}
	return f
}

// defaultPageSize and maxPageSize bound one page of a list, and one page read
// by a bulk filter or an export.
const (
	DefaultPageSize = 20
	MaxPageSize     = 60
)

// DescribeFilter is the human summary of a list's filters shown above the rows.
func DescribeFilter(s desk.ListSession) string {
	var parts []string
	if s.Status != "" {
		parts = append(parts, "status "+s.Status)
	}
	switch s.Enabled {
	case "true":
		parts = append(parts, "enabled")
	case "false":
		parts = append(parts, "disabled")
	}
	if s.Attr != "" {
		parts = append(parts, s.Attr+" starts with \""+s.Prefix+"\"")
	}
	if s.Group != "" {
		parts = append(parts, "in group "+s.Group)
	}
	if len(parts) == 0 {
		return "all users"
	}
	return strings.Join(parts, ", ")
}
