package views

import (
	"regexp"
	"time"

	"github.com/slack-go/slack"
)

// Message is a reply the views build: fallback text for notifications and
// screen readers, plus the Block Kit blocks. Text is mrkdwn-escaped already.
// Every view returns one so package bot can post or update it unchanged.
type Message struct {
	Text   string
	Blocks []slack.Block
}

// UserView is the part of a Cognito user the views show. The caller converts
// its domain type into this, so views do not depend on cognito/.
type UserView struct {
	Username, Sub, Email, Phone           string
	EmailVerified, PhoneVerified, Enabled bool
	// Status is the Cognito user status, e.g. CONFIRMED or FORCE_CHANGE_PASSWORD.
	Status            string
	Created, Modified time.Time
	Groups            []string
	// MFAMethods lists the MFA methods the user has set up, e.g. SOFTWARE_TOKEN_MFA.
	MFAMethods   []string
	PreferredMFA string
	// Custom holds custom:* and other non-standard attributes, shown sorted.
	Custom map[string]string
	// DeletesAt, when set, is when the user's pending deletion becomes final.
	DeletesAt time.Time
}

// ActorView identifies a Slack user: who asked, approved or acted.
type ActorView struct{ UserID, TeamID string }

// PoolView describes a configured user pool.
type PoolView struct {
	Name, ID, Region string
	// Default reports whether this pool is used when no --pool is given.
	Default bool
	// EstimatedUsers is Cognito's estimate of the pool size; < 0 means unknown.
	EstimatedUsers int
}

// safeID matches Slack IDs (users, channels, teams); only those are turned
// into mentions, anything else is escaped as text.
var safeID = regexp.MustCompile(`^[A-Z0-9]{2,40}$`)

// Mention renders the actor as a Slack user mention, or "someone" when the
// ID is missing. An ID that does not look like a Slack ID is shown escaped.
func (a ActorView) Mention() string {
	switch {
	case a.UserID == "":
		return "someone"
	case safeID.MatchString(a.UserID):
		return "<@" + a.UserID + ">"
	default:
		return EscTrunc(a.UserID, 40)
	}
}

// ChannelMention links a channel id; anything that is not one is shown escaped.
func ChannelMention(id string) string {
	if safeID.MatchString(id) {
		return "<#" + id + ">"
	}
	return EscTrunc(id, 40)
}

// Label renders the pool as "*prod*", falling back to its ID, escaped.
func (p PoolView) Label() string {
	if p.Name == "" && p.ID == "" {
		return "_unknown pool_"
	}
	return "*" + p.PlainName() + "*"
}

// PlainName is the pool's escaped name (or ID) without formatting, for
// fallback text.
func (p PoolView) PlainName() string {
	name := p.Name
	if name == "" {
		name = p.ID
	}
	return EscTrunc(OrDash(name), 80)
}
