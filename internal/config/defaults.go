package config

import (
	"fmt"
	"strings"
	"time"
)

// Defaults for settings the file may leave out. They are exported so the
// README, help text and tests quote the same values the loader applies.
const (
	// DefaultCommand is the slash command name.
	DefaultCommand = "/cognito"
	// DefaultGroupRefresh is how long user-group memberships are cached:
	// short enough that removing someone from a group takes effect soon,
	// long enough not to hit Slack's rate limits.
	DefaultGroupRefresh = Duration(5 * time.Minute)
	// DefaultConfirmExpiry is how long Confirm buttons stay valid.
	DefaultConfirmExpiry = Duration(15 * time.Minute)
	// DefaultApprovalExpiry is how long an approval request stays open.
	DefaultApprovalExpiry = Duration(time.Hour)
	// DefaultRetention keeps audit entries for a year.
	DefaultRetention = Duration(8760 * time.Hour)
	// DefaultAnchorEvery anchors the audit chains hourly.
	DefaultAnchorEvery = Duration(time.Hour)
	// DefaultConfirmBy lets only the requester confirm their own command.
	DefaultConfirmBy = ConfirmByRequester
)

// ApplyDefaults fills every unset (zero) setting with its default and
// derives pool regions from pool ids. Load calls it for you; call it when
// building a Config by hand, e.g. in tests.
func (c *Config) ApplyDefaults() { c.applyDefaults(func(string) bool { return false }) }

// applyDefaults fills zero settings whose key is not present in the file.
// A key written explicitly as 0 or "" is left alone, so Validate reports it
// rather than silently replacing what the operator wrote.
func (c *Config) applyDefaults(present func(key string) bool) {
	unset := func(key string, zero bool) bool { return zero && !present(key) }
	if unset("slack.command", c.Slack.Command == "") {
		c.Slack.Command = DefaultCommand
	}
	if unset("slack.group_refresh", c.Slack.GroupRefresh == 0) {
		c.Slack.GroupRefresh = DefaultGroupRefresh
	}
	for i := range c.Pools {
		if p := &c.Pools[i]; p.Region == "" {
			p.Region = regionOf(p.ID)
		}
	}
	if unset("audit.retention", c.Audit.Retention == 0) {
		c.Audit.Retention = DefaultRetention
	}
	if unset("audit.anchor_every", c.Audit.AnchorEvery == 0) {
		c.Audit.AnchorEvery = DefaultAnchorEvery
	}
	if unset("confirm.by", c.Confirm.By == "") {
		c.Confirm.By = DefaultConfirmBy
	}
	if c.Bulk.Window == 0 {
		c.Bulk.Window = DefaultBulkWindow
	}
	if unset("confirm.expiry", c.Confirm.Expiry == 0) {
		c.Confirm.Expiry = DefaultConfirmExpiry
	}
	for i := range c.Approvals {
		key := fmt.Sprintf("approvals[%d].expiry", i)
		if unset(key, c.Approvals[i].Expiry == 0) {
			c.Approvals[i].Expiry = DefaultApprovalExpiry
		}
	}
	if unset("delete.undo_window", c.Delete.UndoWindow == 0) {
		c.Delete.UndoWindow = DefaultUndoWindow
	}
	c.applyOpsDefaults(unset)
	c.Slack.PerUser.applyDefaults(unset)
	c.Quotas.applyDefaults(unset)
}

// regionOf returns the region prefix of a pool id ("eu-west-1" for
// "eu-west-1_AbC"), or "" if the id has no underscore.
func regionOf(poolID string) string {
	region, _, ok := strings.Cut(poolID, "_")
	if !ok {
		return ""
	}
	return region
}
