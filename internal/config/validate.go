package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// Patterns for the identifiers the file contains. Slack ids are upper-case
// letters and digits after a one-letter type prefix.
var (
	poolNamePattern  = regexp.MustCompile(`^[a-z0-9-]+$`)
	poolIDPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$`)
	tablePattern     = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)
	memberPattern    = regexp.MustCompile(`^[UWS][A-Z0-9]+$`)
	channelPattern   = regexp.MustCompile(`^[CGD][A-Z0-9]+$`)
	approvalsPattern = regexp.MustCompile(`^[CG][A-Z0-9]+$`)
	teamPattern      = regexp.MustCompile(`^[TE][A-Z0-9]+$`)
)

// Validate checks the whole configuration, environment included, and
// returns every problem found rather than stopping at the first. It expects
// defaults to have been applied (Load does; see ApplyDefaults). check-config
// and startup both call it, so they can never disagree.
func (c *Config) Validate() Problems {
	var p Problems
	c.validateEnv(&p)
	c.validateSlack(&p)
	c.validatePools(&p)
	c.validateAudit(&p)
	c.validateAnchors(&p)
	c.validateTickets(&p)
	c.validateRoles(&p)
	c.validateConfirm(&p)
	c.validateApprovals(&p)
	c.validateActions(&p)
	c.validateQuotas(&p)
	c.validateOps(&p)
	c.validateProtectedGroups(&p)
	c.validateBulk(&p)
	c.validateDelete(&p)
	c.validateCallerVerification(&p)
	return p
}

// validateEnv checks the tokens by prefix only and never echoes them.
func (c *Config) validateEnv(p *Problems) {
	switch t := c.Slack.AppToken; {
	case t == "":
		p.add("env.SLACK_APP_TOKEN", "not set; create an app-level token with the connections:write scope "+
			"under Basic Information → App-Level Tokens at https://api.slack.com/apps")
	case !strings.HasPrefix(t, "xapp-"):
		p.add("env.SLACK_APP_TOKEN", "does not start with xapp-; it must be the app-level token, not the bot token")
	}
	switch t := c.Slack.BotToken; {
	case t == "":
		p.add("env.SLACK_BOT_TOKEN", "not set; copy the Bot User OAuth Token from OAuth & Permissions "+
			"at https://api.slack.com/apps after installing the app")
	case !strings.HasPrefix(t, "xoxb-"):
		p.add("env.SLACK_BOT_TOKEN", "does not start with xoxb-; it must be the bot user OAuth token")
	}
	if u := c.Slack.APIURL; u != "" {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			p.add("env.SLACK_API_URL", "must be an http:// or https:// URL such as https://slack.com/api/")
		} else if !strings.HasSuffix(u, "/") {
			p.add("env.SLACK_API_URL", "must end with /")
		} else if parsed.Scheme == "http" && !isLoopback(parsed.Hostname()) {
			p.add("env.SLACK_API_URL", "must use https:// unless it points to this machine "+
				"(localhost, 127.0.0.0/8 or ::1); the bot token travels with every call")
		}
	}
}

// isLoopback reports whether host names this machine, where plain http
// cannot be read by anyone else on the network (an emulator in tests).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func (c *Config) validateSlack(p *Problems) {
	cmd := c.Slack.Command
	if !strings.HasPrefix(cmd, "/") || len(cmd) < 2 || strings.ContainsAny(cmd, " \t") {
		p.add("slack.command", "must be a slash command such as /cognito (start with /, no spaces)")
	}
	positive(p, "slack.group_refresh", c.Slack.GroupRefresh)
	c.Slack.PerUser.validate(p)
	if t := c.Slack.AllowedTeams; t != nil && len(t) == 0 {
		p.add("slack.allowed_teams", "must list at least one id; leave it out to serve only the bot's own workspace")
	}
	for i, id := range c.Slack.AllowedTeams {
		if !teamPattern.MatchString(id) {
			p.add(fmt.Sprintf("slack.allowed_teams[%d]", i), "%q is not a Slack workspace id (T…) or organisation id (E…)", id)
		}
	}
}

func (c *Config) validatePools(p *Problems) {
	if len(c.Pools) == 0 {
		p.add("pools", "at least one pool is required")
	}
	seen, seenID := map[string]int{}, map[string]int{}
	for i, pool := range c.Pools {
		key := fmt.Sprintf("pools[%d]", i)
		switch {
		case pool.Name == "":
			p.add(key+".name", "required")
		case !poolNamePattern.MatchString(pool.Name):
			p.add(key+".name", "%q must use only a-z, 0-9 and -", pool.Name)
		default:
			if j, dup := seen[pool.Name]; dup {
				p.add(key+".name", "duplicate pool name %q (also pools[%d])", pool.Name, j)
			} else {
				seen[pool.Name] = i
			}
		}
		switch {
		case pool.ID == "":
			p.add(key+".id", "required, e.g. eu-west-1_AbCdEf123")
		case !poolIDPattern.MatchString(pool.ID):
			p.add(key+".id", "%q is not a Cognito user pool id like eu-west-1_AbCdEf123", pool.ID)
		case pool.Region != regionOf(pool.ID):
			p.add(key+".region", "%q does not match the pool id's region %q", pool.Region, regionOf(pool.ID))
		default:
			if j, dup := seenID[pool.ID]; dup {
				p.add(key+".id", "pool id %q is already pools[%d] (%s); one pool has one name, or a role limited to one name reaches it through the other",
					pool.ID, j, c.Pools[j].Name)
			} else {
				seenID[pool.ID] = i
			}
		}
	}
}

func (c *Config) validateAudit(p *Problems) {
	table(p, "audit.table", c.Audit.Table)
	table(p, "audit.state_table", c.Audit.StateTable)
	if c.Audit.Table != "" && c.Audit.Table == c.Audit.StateTable {
		p.add("audit.state_table", "must differ from audit.table; the audit log is append-only")
	}
	positive(p, "audit.retention", c.Audit.Retention)
}

func (c *Config) validateConfirm(p *Problems) {
	if c.Confirm.By != ConfirmByRequester && c.Confirm.By != ConfirmByRole {
		p.add("confirm.by", "%q must be %q or %q", c.Confirm.By, ConfirmByRequester, ConfirmByRole)
	}
	positive(p, "confirm.expiry", c.Confirm.Expiry)
}

func (c *Config) validateActions(p *Problems) {
	names := make([]string, 0, len(c.Actions))
	for a := range c.Actions {
		names = append(names, string(a))
	}
	sort.Strings(names)
	for _, name := range names {
		switch a := Action(name); {
		case !a.Known():
			p.add("actions."+string(a), "unknown action %q (known: %s)", a, knownActionList())
		case c.Actions[a].RequireReason && !asksReason(a):
			// Silently ignoring it would leave the audit log without the
			// reasons the operator believes it collects.
			p.add("actions."+string(a)+".require_reason", "%s never asks for a reason; only changes to an existing user, bulk, import and export do", a)
		}
	}
}

// asksReason reports whether the bot asks for a reason before running a
// (the policy's NeedReason is obeyed on that path): a change to an existing
// user, a bulk job, an import or an export.
func asksReason(a Action) bool { return a.Approvable() || a == actions.Import }

// table checks a DynamoDB table name.
func table(p *Problems, key, name string) {
	switch {
	case name == "":
		p.add(key, "required: a DynamoDB table name")
	case !tablePattern.MatchString(name):
		p.add(key, "%q is not a DynamoDB table name (3-255 characters of A-Z a-z 0-9 _ . -)", name)
	}
}

// positive checks that a duration is greater than zero.
func positive(p *Problems, key string, d Duration) {
	if d <= 0 {
		p.add(key, "must be a positive duration such as 15m")
	}
}
