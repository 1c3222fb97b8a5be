package audit

import (
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode/utf8"
)

// Actor is the Slack user behind an action. Identity is UserID plus TeamID (Slack user
// IDs are only unique within a workspace); Name is a display hint for humans reading the
// log and must never be used to authorize anything.
type Actor struct {
	UserID string
	// TeamID is the team the bot compares for one person everywhere: their
	// Enterprise Grid organisation when there is one, else their workspace.
	TeamID string
	Name   string
	// Workspace is the workspace (T…) a Grid user acted from, "" when it is
	// TeamID; the policy admits a workspace listed in slack.allowed_teams by it.
	Workspace string
}

// Target is the Cognito user an action is about. Sub is recorded when known because
// usernames can be deleted and reused, while a sub never is.
type Target struct {
	Pool     string
	Username string
	Sub      string
}

// Decision records what the authorization check said, so denied attempts are logged too.
type Decision string

// Decisions.
const (
	// Allowed means policy permitted the action.
	Allowed Decision = "allowed"
	// Denied means policy refused it; DenyReason says why.
	Denied Decision = "denied"
)

// Outcome records what happened to an allowed action.
type Outcome string

// Outcomes.
const (
	// OutcomePending marks an intent written by Log.Begin before Cognito is called. An entry
	// left pending means the bot stopped mid-action and the result is unknown.
	OutcomePending Outcome = "pending"
	// OutcomeOK means the action succeeded.
	OutcomeOK Outcome = "ok"
	// OutcomeError means the action was attempted and failed; Message says how.
	OutcomeError Outcome = "error"
)

// Entry is one audit record. The fields mirror what a reviewer needs to answer "who did
// what to whom, when, through which Slack interaction, and what Cognito said".
type Entry struct {
	// ID is deterministic and supplied by the caller (e.g. "cmd#<trigger_id>",
	// "exec#<pending id>"), so a Slack retry that repeats the write cannot log twice.
	ID string
	// Time is when the attempt happened; Log stamps it (UTC) when zero.
	Time  time.Time
	Actor Actor
	// Channel is the Slack channel ID the request came from.
	Channel string
	// Action is the bot's action name, e.g. "disable".
	Action string
	Target Target
	// Params are the action's parameters. Log redacts any key that contains "password",
	// "token", "secret" or "code" (case-insensitive) before writing.
	Params     map[string]string
	Decision   Decision
	DenyReason string
	Outcome    Outcome
	// Message is the outcome message (an error text on failure).
	Message string
	// SlackRef is the Slack envelope id or action timestamp, to find the interaction.
	SlackRef string
	// CognitoRequestID is the AWS request id of the Cognito call, for AWS support.
	CognitoRequestID string
	// ApprovalID is the pending action this entry belongs to, if any.
	ApprovalID string
	// Reason is the requester's justification.
	Reason string
	// FinishedAt is when Log.Finish recorded the outcome (zero for single-phase entries).
	FinishedAt time.Time
	// Deadline is when the work under an intent must be over (its context's
	// deadline; zero means Time). An intent still open past it was abandoned,
	// so OpenIntents orders and selects intents by it: a long export is not
	// taken for a crash while it still runs.
	Deadline time.Time
	// ExpiresAt is the TTL, stamped by Log from its retention (stored as a Number of epoch
	// seconds, as DynamoDB TTL requires). Zero when the Log keeps entries forever.
	ExpiresAt time.Time
	// Chain is the entry's place in the tamper-evident hash chain, set by the log
	// (anything a caller puts here is ignored); zero for entries written before the
	// chain existed.
	Chain Link
}

// redacted replaces the value of every secret-looking parameter.
const redacted = "[redacted]"

// secretWords are substrings that mark a parameter key as secret. "code" also catches
// confirmation and MFA codes; the false positives (e.g. "country_code") only cost detail.
var secretWords = []string{"password", "passwd", "token", "secret", "code", "otp", "recovery", "private", "key"}

// IsSecretKey reports whether a parameter or attribute name looks like a
// secret's: the audit log redacts its value, and approval cards hide it.
// One list, so what the log keeps and what a shared channel sees agree.
func IsSecretKey(k string) bool { return isSecretKey(k) }

// isSecretKey reports whether a parameter key names something that must never be stored.
func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// Size caps keep an item far below DynamoDB's 400 KB limit whatever a caller passes.
const (
	maxParams     = 64
	maxParamKey   = 128
	MaxParamValue = 1024
	MaxText       = 4096
)

// SanitizeParams returns a copy of p with secret values replaced by "[redacted]" and
// oversized keys and values truncated. The caller's map is never modified.
func SanitizeParams(p map[string]string) map[string]string {
	if len(p) == 0 {
		return nil
	}
	out := make(map[string]string, len(p))
	for k, v := range p {
		if len(out) >= maxParams {
			break
		}
		if isSecretKey(k) {
			v = redacted
		}
		out[Truncate(k, maxParamKey)] = Truncate(v, MaxParamValue)
	}
	return out
}

// State limits: a pending action's params and a job's args are what will be
// carried out, so they are stored exactly or refused, never cut or redacted.
// They keep an item far below DynamoDB's 400 KB limit.
const (
	maxStateParams     = 128
	maxStateParamKey   = 256  // characters
	MaxStateParamValue = 2048 // characters: Cognito's longest attribute value
	maxStateBytes      = 256 << 10
)

// StateParamError is a value state refuses to keep (matches ErrInvalid): Key
// names it ("" for the whole set), Reason says why in words for people.
type StateParamError struct{ Key, Reason string }

func (e *StateParamError) Error() string {
	if e.Key == "" {
		return "invalid argument: " + e.Reason
	}
	return fmt.Sprintf("invalid argument: %q %s", e.Key, e.Reason)
}

// Is makes a StateParamError match ErrInvalid.
func (e *StateParamError) Is(target error) bool { return target == ErrInvalid }

// CheckStateParams refuses params that cannot be stored exactly, and any that
// looks like a password: state is never where a password waits. Other
// secret-looking words are not refused here, because attribute names such as
// custom:country_code are ordinary values an edit must carry out as typed.
func CheckStateParams(what string, p map[string]string) error {
	if len(p) > maxStateParams {
		return fmt.Errorf("%s: %w", what, &StateParamError{Reason: fmt.Sprintf("has %d values, at most %d", len(p), maxStateParams)})
	}
	size := 0
	for k, v := range p {
		size += len(k) + len(v)
		if utf8.RuneCountInString(k) > maxStateParamKey || utf8.RuneCountInString(v) > MaxStateParamValue {
			return fmt.Errorf("%s: %w", what, &StateParamError{Key: k, Reason: fmt.Sprintf("is longer than %d characters", MaxStateParamValue)})
		}
		if lk := strings.ToLower(k); strings.Contains(lk, "password") || strings.Contains(lk, "passwd") {
			return fmt.Errorf("%s: %w", what, &StateParamError{Key: k, Reason: "is named like a password, and the bot never stores passwords"})
		}
	}
	if size > maxStateBytes {
		return fmt.Errorf("%s: %w", what, &StateParamError{Reason: fmt.Sprintf("is %d bytes, at most %d", size, maxStateBytes)})
	}
	return nil
}

// ExactParams is a copy of p (nil when empty), so the stored state never
// aliases the caller's map.
func ExactParams(p map[string]string) map[string]string {
	if len(p) == 0 {
		return nil
	}
	return maps.Clone(p)
}

// Truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
