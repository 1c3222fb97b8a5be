package pipeline

import (
	"context"
	"maps"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// Request is who asks and from where. Identity is ids only: the Slack user id
// and the team the bot compares everywhere (the Enterprise Grid org when there
// is one, else the workspace), never a display name.
type Request struct {
	// Actor is the person asking, as the audit log records them.
	Actor audit.Actor
	// Channel is where they asked.
	Channel string
	// EnvelopeID ties audit entries to the Slack interaction.
	EnvelopeID string
	// Ref names the interaction, the same across Slack's redeliveries of it.
	Ref string
}

// Authority says whose permission a step needs.
type Authority int

const (
	// ByRole needs the actor's roles to allow the action on the pool in the channel.
	ByRole Authority = iota
	// ByApprover needs the actor to be an approver of the requester's action
	// (never the requester), and the requester to still hold the action.
	ByApprover
	// ByRequester lets only the requester act: withdrawing their own request.
	ByRequester
)

// Origin is the requester of a pending action and the channel they asked in;
// when someone else's step carries out their request, they are re-authorized.
type Origin struct {
	Actor   audit.Actor
	Channel string
}

// Phase names a step of a flow that takes several (a pending action is
// requested, then executed, rejected or expired), as the audit log records it.
type Phase string

// Step is one audited unit of work.
type Step struct {
	// AuditID is the entry's deterministic id, so a redelivered interaction
	// finds its own earlier entry and does nothing twice.
	AuditID string
	// Action is what the step does, from the action table.
	Action config.Action
	// Pool is the pool's configured name, "" for steps about no pool.
	Pool string
	// Target is who the step is about, as far as known before it runs.
	Target audit.Target
	// Phase is which step of a longer flow this is (a pending action's
	// request, execute, reject, …); the entry records it as its "phase" param.
	// "" records none (or whatever Params says).
	Phase Phase
	// Params are recorded with the entry (secrets are redacted by the log).
	Params map[string]string
	// Reason and ApprovalID are recorded with the entry.
	Reason, ApprovalID string
	// Authority says whose permission is checked.
	Authority Authority
	// Policy is what the policy is told beyond the step's action and pool:
	// a bulk job's action and size, the groups a creation adds, --verified.
	// Its Action and Pool, when empty, are the step's. Nil: nothing more.
	Policy *policy.Request
	// Requester, when set, is whose request the step acts on. A step that
	// runs an operation is then re-authorized for the requester too: a pending
	// action runs only while its requester still holds the action for that
	// pool and channel.
	Requester *Origin
	// Claim is the conditional write that makes a pending action run once.
	// With an Op it runs after authorization and before the intent is written,
	// and an error stops the step: nothing is recorded and nothing runs.
	// Without an Op the claim is the step's whole work (cancel, reject, start a
	// job): it runs between the intent and the outcome, like an Op, so the
	// state never changes unaudited; Params["outcome"] is its summary. Each
	// interaction is then its own attempt (AuditID gets the request's Ref), so
	// a second click is audited and told who decided, while a redelivery of
	// the same click finds its entry and does nothing twice.
	Claim func(ctx context.Context) error
	// Op is the work. Nil means a step with no Cognito call (a request, a
	// cancellation, help), recorded as a single entry.
	Op func(ctx context.Context, s Services) (Result, error)
}

// Services is what an operation may use: handed in by the pipeline, never
// held by the bot.
type Services struct {
	Users Directory
	Log   AuditReader
}

// Result is what an operation reports for the audit outcome.
type Result struct {
	// Summary is the one-line outcome ("Disabled alice", "3 matches").
	Summary string
	// RequestID is Cognito's request id, for AWS support.
	RequestID string
	// Resolved is the user the step turned out to be about (a lookup by email
	// resolves to a username and sub), so the user's history shows it.
	Resolved *audit.Target
	// Note is a sentence for the person who asked beyond done or failed (how
	// long issued tokens stay valid after a suspend); "" for none.
	Note string
	// Done words what was done when it is not the action's own word (a delete
	// that waits out its undo window "scheduled the deletion of"); "" for the
	// action's.
	Done string
}

// Outcome is what became of a step.
type Outcome struct {
	// Denied is the reason the step was refused; "" when it was allowed.
	Denied string
	// Result is the operation's report when it ran.
	Result Result
	// Err is why the step failed: a claim lost, the audit log down, or the
	// operation's error.
	Err error
	// Duplicate means the same interaction was already handled (a redelivery).
	Duplicate bool
	// AuditGap means the work ran but its outcome could not be recorded.
	AuditGap bool
}

// OK reports whether the step ran and succeeded.
func (o Outcome) OK() bool { return o.Denied == "" && o.Err == nil && !o.Duplicate }

// entryParams is what the step's entry records: Params, with the phase when
// the step has one.
func (s Step) entryParams() map[string]string {
	if s.Phase == "" {
		return s.Params
	}
	out := maps.Clone(s.Params)
	if out == nil {
		out = map[string]string{}
	}
	out["phase"] = string(s.Phase)
	return out
}
