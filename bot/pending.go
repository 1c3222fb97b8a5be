package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Kinds of pending action.
const (
	kindConfirm  = "confirm"
	kindApproval = "approval"
)

// targetChangedError stops an action whose target is no longer the user, or in the
// state, that the request was made against.
type targetChangedError struct{ detail string }

func (e *targetChangedError) Error() string { return "target changed: " + e.detail }

// operationFor builds the audited Cognito call for action on target. Before acting it
// re-reads the user: a different sub means the user was deleted and re-created under
// the same name, and, for approvals, a changed status means the approver saw stale
// facts. Either way nothing is done.
func (b *Bot) operationFor(action config.Action, pool config.Pool, target audit.Target, reason, approvalID string, snapshot map[string]string) operation {
	ua := userActions[action]
	return operation{
		Action:     action,
		Target:     target,
		Params:     map[string]string{"phase": "execute", "pool_name": pool.Name},
		Reason:     reason,
		ApprovalID: approvalID,
		Call: func(ctx context.Context) (string, string, error) {
			u, err := b.users.GetUser(ctx, pool.ID, target.Username)
			if err != nil {
				return "", cognito.RequestID(err), err
			}
			if target.Sub != "" && u.Sub != target.Sub {
				return "", "", &targetChangedError{"the user was deleted and re-created since the request"}
			}
			if snapshot != nil {
				now := snapshotOf(u)
				for _, k := range []string{"status", "enabled"} {
					if now[k] != snapshot[k] {
						return "", "", &targetChangedError{fmt.Sprintf("%s changed from %s to %s since the request", k, snapshot[k], now[k])}
					}
				}
			}
			res, err := ua.Execute(b.users, ctx, pool.ID, target.Username)
			if err != nil {
				return "", cognito.RequestID(err), err
			}
			return ua.Past + " " + target.Username, res.RequestID, nil
		},
	}
}

// prepare records the pending action behind a confirm or approval button.
func (b *Bot) prepare(ctx context.Context, req *request, action config.Action, pool config.Pool, u *cognito.User, reason string, confirmed bool, pendingID string) error {
	rule, approval := b.cfg.ApprovalFor(action)
	kind, expiry := kindConfirm, b.cfg.Confirm.Expiry.Std()
	if approval {
		kind, expiry = kindApproval, rule.Expiry.Std()
	}
	now := b.now()
	p := audit.Pending{
		ID:        pendingID,
		Kind:      kind,
		Action:    string(action),
		Target:    audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub},
		Params:    map[string]string{"pool_name": pool.Name},
		Reason:    reason,
		Requester: req.Actor,
		Channel:   req.Channel,
		CreatedAt: now,
		ExpiresAt: now.Add(expiry),
		Snapshot:  snapshotOf(u),
	}
	created, err := b.state.Create(ctx, p)
	if errors.Is(err, audit.ErrDuplicate) {
		// The same interaction arrived again; show what already exists.
		created, err = b.state.Get(ctx, pendingID)
		if err == nil && created.State != audit.StatePending {
			b.reply(ctx, req, views.Notice(alreadyText(created)), replyEphemeral)
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("recording pending %s: %w: %w", action, errStateUnavailable, err)
	}
	switch {
	case approval:
		return b.sendForApproval(ctx, req, created, pool, rule)
	case confirmed:
		b.confirmPending(ctx, req, created)
		return nil
	}
	b.recordStep(ctx, req, created, phaseRequest, "awaiting confirmation")
	b.reply(ctx, req, views.ConfirmPrompt(views.ConfirmView{
		ID: created.ID, Action: created.Action, Username: u.Username, Pool: pool.Name,
		Requester: toActorView(req.Actor), Expires: created.ExpiresAt, Reason: reason,
		Detail: userActions[action].Detail,
	}), b.replaceIfClicked(req))
	return nil
}

// recordStep notes in the audit log a step of a pending action that involves no
// Cognito call: it was requested, cancelled, rejected or expired. Each step has its own
// deterministic id, so a redelivered click records it once.
func (b *Bot) recordStep(ctx context.Context, req *request, p audit.Pending, phase, what string) {
	err := b.audit.Record(ctx, audit.Entry{
		ID: phase + "#" + p.ID, Actor: req.Actor, Channel: req.Channel, Action: p.Action, Target: p.Target,
		Params: map[string]string{"phase": phase, "requester": p.Requester.UserID}, Decision: audit.Allowed, Outcome: audit.OutcomeOK,
		Message: what, SlackRef: req.EnvelopeID, ApprovalID: approvalIDOf(p), Reason: p.Reason,
	})
	if err != nil && !errors.Is(err, audit.ErrDuplicate) {
		b.logInternal(newRef(), err, req, p.Action)
	}
}

// Phases of a pending action recorded by recordStep.
const (
	phaseRequest = "request"
	phaseCancel  = "cancel"
	phaseReject  = "reject"
	phaseExpire  = "expire"
)

func approvalIDOf(p audit.Pending) string {
	if p.Kind == kindApproval {
		return p.ID
	}
	return ""
}

// alreadyText tells a late clicker what became of a pending action and who decided.
func alreadyText(p audit.Pending) string {
	by := ""
	if p.DecidedBy.UserID != "" {
		by = " by <@" + p.DecidedBy.UserID + ">"
	}
	switch p.State {
	case audit.StateExecuting:
		return "This request is already being carried out" + by + "."
	case audit.StateDone:
		return "This request was already carried out" + by + "."
	case audit.StateFailed:
		return "This request was already attempted" + by + " and failed: " + views.Escape(p.Result)
	case audit.StateCancelled:
		return "This request was cancelled" + by + "."
	case audit.StateRejected:
		return "This request was rejected" + by + "."
	case audit.StateExpired:
		return "This request expired without a decision. Please run the command again."
	}
	return "This request can no longer be acted on."
}

// loadPending reads what a confirm/approve button points at and refuses unknown,
// used and expired ones.
func (b *Bot) loadPending(ctx context.Context, req *request, id, kind string) (audit.Pending, bool) {
	if !opaqueValue.MatchString(id) {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return audit.Pending{}, false
	}
	p, err := b.state.Get(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		b.reply(ctx, req, views.Notice("This button is not valid or has expired."), replyEphemeral)
		return p, false
	case err != nil:
		b.stateDown(ctx, req, err)
		return p, false
	case p.Kind != kind:
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return p, false
	case p.State != audit.StatePending:
		b.reply(ctx, req, views.TrustedNotice(alreadyText(p)), replyEphemeral)
		return p, false
	case !b.now().Before(p.ExpiresAt):
		b.expire(ctx, p)
		b.reply(ctx, req, views.Notice("This request has expired. Please run the command again."), replyEphemeral)
		return p, false
	}
	return p, true
}

// stateDown answers a click when DynamoDB cannot be reached: nothing was done, and
// on a shared card a threaded note says so for everyone.
func (b *Bot) stateDown(ctx context.Context, req *request, err error) {
	text := b.userMessage(fmt.Errorf("%w: %w", errStateUnavailable, err), req, "click")
	b.reply(ctx, req, views.Notice(text), replyEphemeral)
	if req.MessageTS != "" && !req.Ephemeral && req.Channel != "" {
		b.threadNote(ctx, req.Channel, req.MessageTS, "⚠️ <@"+req.Actor.UserID+">'s click could not be processed: "+views.Escape(text))
	}
}

// confirmPending runs a confirmed action, if the clicker may.
func (b *Bot) confirmPending(ctx context.Context, req *request, p audit.Pending) {
	if b.cfg.Confirm.By == config.ConfirmByRequester && !sameActor(p.Requester, req.Actor) {
		reason := "only the requester can confirm this"
		b.recordDenial(ctx, req, config.Action(p.Action), p.Target, reason, "")
		b.reply(ctx, req, views.TrustedNotice("Only <@"+p.Requester.UserID+"> can confirm this request."), replyEphemeral)
		return
	}
	if !b.authorize(ctx, req, config.Action(p.Action), p.Target) {
		return
	}
	pool, _ := b.poolByID(p.Target.Pool)
	out, done := b.execute(ctx, req, p, pool)
	if !done {
		return
	}
	b.reply(ctx, req, b.resultMessage(req, config.Action(p.Action), pool, p.Target.Username, out), b.replaceIfClicked(req))
}

// execute claims the pending action (PENDING → EXECUTING, a conditional write that
// exactly one caller wins), runs it through the pipeline and records the result.
func (b *Bot) execute(ctx context.Context, req *request, p audit.Pending, pool config.Pool) (outcome, bool) {
	claimed, ok := b.decidePending(ctx, req, p, audit.StateExecuting)
	if !ok {
		return outcome{}, false
	}
	var snapshot map[string]string
	if claimed.Kind == kindApproval {
		snapshot = claimed.Snapshot
	}
	op := b.operationFor(config.Action(claimed.Action), pool, claimed.Target, claimed.Reason, approvalIDOf(claimed), snapshot)
	op.Params["requester"] = claimed.Requester.UserID
	out := b.run(ctx, req, "exec#"+claimed.ID, op)

	final, result := audit.StateDone, out.Summary
	if out.Err != nil || out.Duplicate {
		final, result = audit.StateFailed, b.userMessage(out.Err, req, claimed.Action)
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditFinishTimeout)
	defer cancel()
	if _, err := b.state.Transition(fctx, claimed.ID, audit.StateExecuting, final, audit.Update{Result: result}); err != nil {
		b.logInternal(newRef(), err, req, claimed.Action)
	}
	return out, true
}

// decidePending moves p out of PENDING on behalf of the clicker with a conditional
// write. Whoever loses a race is told who decided; if DynamoDB is unreachable the
// clicker is told nothing was done.
func (b *Bot) decidePending(ctx context.Context, req *request, p audit.Pending, to audit.State) (audit.Pending, bool) {
	decided, err := b.state.Transition(ctx, p.ID, audit.StatePending, to, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.now()})
	var te *audit.TransitionError
	switch {
	case errors.As(err, &te):
		b.reply(ctx, req, views.TrustedNotice(alreadyText(te.Current)), replyEphemeral)
		return decided, false
	case err != nil:
		b.stateDown(ctx, req, err)
		return decided, false
	}
	return decided, true
}

func (b *Bot) poolByID(id string) (config.Pool, bool) {
	for _, p := range b.cfg.Pools {
		if p.ID == id {
			return p, true
		}
	}
	return config.Pool{ID: id, Name: id}, false
}

func sameActor(a, c audit.Actor) bool { return a.UserID == c.UserID && a.TeamID == c.TeamID }
