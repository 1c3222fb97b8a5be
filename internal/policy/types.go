package policy

import (
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Identity is who a Slack person is: ids only, never display names, which
// anyone can change.
type Identity struct {
	// UserID is the Slack user id (U… or W…).
	UserID string
	// TeamID is the workspace (T…) the user acts from, or their Enterprise
	// Grid organisation (E…) when the workspace is not known.
	TeamID string
	// EnterpriseID is the Grid organisation (E…) of the user, "" outside
	// Grid; a listed organisation admits all of its workspaces.
	EnterpriseID string
}

// Actor is an identity with the answer of the Slack user-group lookup for
// one decision. In[g] says whether the actor is in user group g; a group the
// policy names (Policy.UserGroups) that In lacks could not be checked, and a
// grant that depends on it is refused rather than guessed.
type Actor struct {
	Identity
	In map[string]bool
}

// Stage says which question a request asks.
type Stage int

const (
	// Ask is someone asking for an action (a command, a click, a form): what
	// must happen before it runs — nothing, a confirmation, an approval or a
	// reason — or why it may not.
	Ask Stage = iota
	// Run is a step about to run for the actor: the pipeline's check on every
	// step, the re-check of a pending request when it executes, and each
	// target of a bulk job. It allows or denies.
	Run
	// Review is the actor approving or rejecting the Requester's request:
	// allowed when they are an approver of the rule that guards it, and not
	// the requester.
	Review
)

// Request is what is asked. The zero value of each optional field means "not
// part of this request" (nil TargetGroups: the target's groups are not known
// at this point).
type Request struct {
	Stage Stage
	// Action is what is done to users; for a bulk job, the job's action.
	Action actions.Action
	// Channel is where the actor asks or clicks.
	Channel string
	// Pool is the pool's configured name, "" for an action about no pool.
	Pool string
	// Requester is whose request this is, when someone else acts on it (an
	// approver, a confirmer, or a step executing it): at Run they must still
	// hold the action in RequesterChannel; at Review they cannot approve it.
	Requester        *Actor
	RequesterChannel string
	// TargetGroups are the Cognito groups the target user is in now.
	TargetGroups []string
	// AddGroups are the groups the request puts users into (create and
	// import --group, the group of add-to-group).
	AddGroups []string
	// Verified is create's or edit's --verified, which needs the verify action.
	Verified bool
	// Job, when set, makes the request a bulk job (or one of its targets).
	Job *Job
	// Execute (Run) says the request is being carried out now on the target
	// as TargetGroups describes it, so what asking decided is checked again:
	// a request that now needs approval, or a job target in a protected
	// group, is refused.
	Execute bool
	// Approved (Run) says an approver approved the request.
	Approved bool
	// Confirming (Run) says the actor presses Confirm on the Requester's
	// request: only the requester may, unless confirm.by is role (never for
	// a bulk job).
	Confirming bool
	// HasReason says the requester gave a reason.
	HasReason bool
	// Escalated (Review) says the request has waited past its rule's
	// escalate_after, so escalate_to may approve it too.
	Escalated bool
	// BreakGlass asks to run, without its approval, a request that needs one
	// (--break-glass): allowed to a role with break_glass and a reason (Ask),
	// and re-checked for the requester when it executes (Run).
	BreakGlass bool
}

// Job describes a bulk job (bulk or import) to the policy.
type Job struct {
	// Targets is how many users the job acts on (skipped ones excluded).
	Targets int
	// Recent is how many users the requester's jobs that started without
	// approval acted on within the bulk window, this one excluded.
	Recent int
	// Target marks a step on one target of a running job.
	Target bool
}

// Verdict is the answer's kind.
type Verdict int

const (
	// Deny refuses; Decision.Reason says why in a sentence.
	Deny Verdict = iota
	// Allow lets it run now.
	Allow
	// Confirm lets it run once ConfirmBy confirms.
	Confirm
	// Approve holds it until an approver of Rule approves.
	Approve
)

func (v Verdict) String() string {
	return [...]string{"deny", "allow", "confirm", "approve"}[v]
}

// Decision is the policy's answer.
type Decision struct {
	Verdict Verdict
	// Reason is a sentence for the user and the audit log: why it is denied,
	// or why it needs approval.
	Reason string
	// ConfirmBy is who may confirm (Confirm).
	ConfirmBy config.ConfirmBy
	// Rule is the approval rule to ask under (Approve).
	Rule config.ApprovalRule
	// NeedReason means a reason must be given before going further (Ask).
	NeedReason bool
	// Roles names the roles that allowed the action or, when denied, the
	// roles the actor holds.
	Roles []string
	// BreakGlass says the request skips its approval by breaking glass: it is
	// confirmed by the requester, and the approvers are told.
	BreakGlass bool
	// CallerCheck (Confirm or Approve, one user) says the confirm prompt must
	// show masked facts and be confirmed with "The caller confirmed these"
	// ticked: caller_verification lists the action.
	CallerCheck bool
}

// Allowed reports whether the answer is anything but Deny.
func (d Decision) Allowed() bool { return d.Verdict != Deny }

func deny(reason string, roles ...string) Decision {
	return Decision{Verdict: Deny, Reason: reason, Roles: roles}
}
