package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
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
	// DefaultConfirmBy lets only the requester confirm their own command.
	DefaultConfirmBy = ConfirmByRequester
)

// Quotas are client-side Cognito request rates, in requests per second, one
// per Cognito API quota category. Zero means the AWS default.
type Quotas struct {
	// UserRead covers AdminGetUser and similar single-user reads.
	UserRead int `yaml:"user_read"`
	// UserList covers ListUsers.
	UserList int `yaml:"user_list"`
	// UserCreation covers AdminCreateUser.
	UserCreation int `yaml:"user_creation"`
	// UserUpdate covers AdminDisableUser, AdminEnableUser, AdminDeleteUser
	// and attribute updates.
	UserUpdate int `yaml:"user_update"`
	// UserAccountRecovery covers AdminResetUserPassword.
	UserAccountRecovery int `yaml:"user_account_recovery"`
	// UserResourceRead covers reads of a user's groups and devices.
	UserResourceRead int `yaml:"user_resource_read"`
	// UserPoolRead covers DescribeUserPool.
	UserPoolRead int `yaml:"user_pool_read"`
	// UserPoolResourceRead covers reads of a pool's groups and clients.
	UserPoolResourceRead int `yaml:"user_pool_resource_read"`
}

// DefaultQuotas returns the AWS default Cognito quotas, so an unconfigured
// bot never outruns what a fresh account allows. The numbers live once, in the
// Cognito layer that enforces them.
func DefaultQuotas() Quotas {
	d := cognito.DefaultQuotas()
	return Quotas{
		UserRead:             int(d.UserRead),
		UserList:             int(d.UserList),
		UserCreation:         int(d.UserCreation),
		UserUpdate:           int(d.UserUpdate),
		UserAccountRecovery:  int(d.UserAccountRecovery),
		UserResourceRead:     int(d.UserResourceRead),
		UserPoolRead:         int(d.UserPoolRead),
		UserPoolResourceRead: int(d.UserPoolResourceRead),
	}
}

// fields pairs each quota's YAML key with its field, so defaults and
// validation walk the same list.
func (q *Quotas) fields() []struct {
	key string
	v   *int
} {
	return []struct {
		key string
		v   *int
	}{
		{"user_read", &q.UserRead},
		{"user_list", &q.UserList},
		{"user_creation", &q.UserCreation},
		{"user_update", &q.UserUpdate},
		{"user_account_recovery", &q.UserAccountRecovery},
		{"user_resource_read", &q.UserResourceRead},
		{"user_pool_read", &q.UserPoolRead},
		{"user_pool_resource_read", &q.UserPoolResourceRead},
	}
}

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
	if unset("confirm.by", c.Confirm.By == "") {
		c.Confirm.By = DefaultConfirmBy
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
	c.applyOpsDefaults(unset)
	def := DefaultQuotas()
	defFields := def.fields()
	for i, f := range c.Quotas.fields() {
		if unset("quotas."+f.key, *f.v == 0) {
			*f.v = *defFields[i].v
		}
	}
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
