package config

import "github.com/cognito-bot/cognito-bot/cognito/quota"

// DefaultQuotaShare is the part of each AWS default Cognito quota the bot
// claims when a category's rate is not configured. Cognito counts requests per
// account and Region, so the bot competes with the production apps (and its
// own replicas) for the same budget; half leaves the apps the larger part.
const DefaultQuotaShare = 0.5

// Quotas are client-side Cognito request rates, in requests per second, one
// per Cognito API quota category. A category left out of the file gets Share
// × AWS's default for it; a rate written in the file is used as is.
type Quotas struct {
	// Share is the fraction of AWS's default quota (in (0, 1]) the whole
	// deployment takes for every category not set below; the live replicas
	// divide it among themselves (internal/budget).
	Share float64 `yaml:"share"`
	// UserRead covers AdminGetUser and similar single-user reads.
	UserRead float64 `yaml:"user_read"`
	// UserList covers ListUsers.
	UserList float64 `yaml:"user_list"`
	// UserCreation covers AdminCreateUser.
	UserCreation float64 `yaml:"user_creation"`
	// UserUpdate covers AdminDisableUser, AdminEnableUser, AdminDeleteUser
	// and attribute updates.
	UserUpdate float64 `yaml:"user_update"`
	// UserAccountRecovery covers AdminResetUserPassword.
	UserAccountRecovery float64 `yaml:"user_account_recovery"`
	// UserResourceRead covers reads of a user's groups and devices.
	UserResourceRead float64 `yaml:"user_resource_read"`
	// UserPoolRead covers DescribeUserPool.
	UserPoolRead float64 `yaml:"user_pool_read"`
	// UserPoolResourceRead covers reads of a pool's groups and clients.
	UserPoolResourceRead float64 `yaml:"user_pool_resource_read"`
	// UserResourceUpdate covers MFA preference changes and forgetting devices.
	UserResourceUpdate float64 `yaml:"user_resource_update"`
}

// DefaultQuotas returns the rates an unconfigured bot uses: DefaultQuotaShare
// of AWS's default Cognito quotas, whose numbers live once, in the Cognito
// layer that enforces them.
func DefaultQuotas() Quotas {
	q := Quotas{Share: DefaultQuotaShare}
	q.applyDefaults(func(string, bool) bool { return true })
	return q
}

// quotaField pairs a quota's YAML key with its field, so defaults and
// validation walk the same list.
type quotaField struct {
	key string
	v   *float64
	aws float64 // AWS's default for the category
}

func (q *Quotas) fields() []quotaField {
	d := quota.DefaultQuotas()
	return []quotaField{
		{"user_read", &q.UserRead, d.UserRead},
		{"user_list", &q.UserList, d.UserList},
		{"user_creation", &q.UserCreation, d.UserCreation},
		{"user_update", &q.UserUpdate, d.UserUpdate},
		{"user_account_recovery", &q.UserAccountRecovery, d.UserAccountRecovery},
		{"user_resource_read", &q.UserResourceRead, d.UserResourceRead},
		{"user_pool_read", &q.UserPoolRead, d.UserPoolRead},
		{"user_pool_resource_read", &q.UserPoolResourceRead, d.UserPoolResourceRead},
		{"user_resource_update", &q.UserResourceUpdate, d.UserResourceUpdate},
	}
}

// applyDefaults fills the share and every unset rate. An out-of-range share
// (reported by Validate) scales nothing, so it is the only problem shown.
func (q *Quotas) applyDefaults(unset func(key string, zero bool) bool) {
	if unset("quotas.share", q.Share == 0) {
		q.Share = DefaultQuotaShare
	}
	share := q.Share
	if !validShare(share) {
		share = 1
	}
	for _, f := range q.fields() {
		if unset("quotas."+f.key, *f.v == 0) {
			*f.v = share * f.aws
		}
	}
}

func validShare(s float64) bool { return s > 0 && s <= 1 }

func (c *Config) validateQuotas(p *Problems) {
	if !validShare(c.Quotas.Share) {
		p.add("quotas.share", "must be more than 0 and at most 1: the fraction of AWS's default quotas the bot may use")
	}
	for _, f := range c.Quotas.fields() {
		if *f.v <= 0 {
			p.add("quotas."+f.key, "must be a positive number of requests per second; leave it out for quotas.share × the AWS default")
		}
	}
}
