package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// Kinds of pending action.
const (
	kindConfirm  = "confirm"
	kindApproval = "approval"
)

// Phases of a pending action recorded in the audit log, each under its own id.
const (
	phaseRequest = "request"
	phaseCancel  = "cancel"
	phaseReject  = "reject"
	phaseExpire  = "expire"
)

// prepare records the pending action behind a confirm or approval button, as
// the policy decided (d: Confirm or Approve).
func (b *Bot) prepare(ctx context.Context, req *request, ar actionRequest, u *cognito.User, d policy.Decision) error {
	action := ar.spec.Action
	if !views.DetailsShowWhole(confirmArgs(ar.args), editChanges(ar.args, u)) {
		// Nobody confirms or approves what the card cannot show whole.
		b.refuseAsked(ctx, req, pipeline.Step{AuditID: "ask#" + transport.HashKey(req.Ref, string(action)), Action: action, Pool: ar.pool.Name,
			Target: ar.target.auditTarget(ar.pool)}, policy.Decision{Reason: "the values are too many or too long to be shown whole " +
			"for confirmation; make fewer or shorter changes at a time"})
		return nil
	}
	rule, approval := d.Rule, d.Verdict == policy.Approve
	kind, expiry := kindConfirm, b.Cfg.Confirm.Expiry.Std()
	params := withCallerFacts(pendingParams(ar, u), d, u)
	if approval && params[callerFactsKey] != "" && !ar.callerVerified {
		// The requester, who speaks with the caller, verifies them first.
		approval, params[callerThenApproval] = false, "true"
	}
	if approval {
		kind, expiry = kindApproval, rule.Expiry.Std()
	}
	now := b.Now()
	created, err := b.State.Create(ctx, audit.Pending{
		ID: ar.pendingID, Kind: kind, Action: string(action),
		Target:    audit.Target{Pool: ar.pool.ID, Username: u.Username, Sub: u.Sub},
		Params:    params,
		Reason:    ar.reason,
		Requester: req.Actor, Channel: req.Channel,
		CreatedAt: now, ExpiresAt: now.Add(expiry),
		Snapshot: desk.SnapshotOf(u),
	})
	if errors.Is(err, audit.ErrDuplicate) {
		// The same interaction arrived again; show what already exists.
		created, err = b.State.Get(ctx, ar.pendingID)
		if err == nil && created.State != audit.StatePending {
			b.Reply(ctx, req, views.TrustedNotice(alreadyText(created)), desk.ReplyEphemeral)
			return nil
		}
	}
	var tooMuch *audit.StateParamError
	switch {
	case errors.As(err, &tooMuch):
		// Too large, or named like a password: refused as it is, not as an outage.
		what := "the request"
		if name, ok := strings.CutPrefix(tooMuch.Key, "arg.attr:"); ok {
			what = "attribute " + name
		}
		return desk.Refusedf("Nothing was done: %s %s, so the request can't be kept for confirmation.", what, tooMuch.Reason)
	case err != nil:
		return fmt.Errorf("recording pending %s: %w: %w", action, desk.ErrStateUnavailable, err)
	}
	switch {
	case approval:
		return b.sendForApproval(ctx, req, created, ar.pool, rule)
	case ar.confirmed && callerFactsOf(created) == nil:
		b.confirmPending(ctx, req, created)
		return nil
	}
	b.note(ctx, req, created, phaseRequest, "awaiting confirmation")
	b.Reply(ctx, req, views.ConfirmPrompt(views.ConfirmView{
		ID: created.ID, Action: created.Action, Words: words(action), Username: u.Username, Pool: ar.pool.Name,
		Requester: desk.ToActorView(req.Actor), Expires: created.ExpiresAt, Reason: ar.reason, Detail: callerApprovalDetail(created, b.promptDetail(ar)),
		Args: confirmArgs(ar.args), Changes: editChanges(ar.args, u), Tickets: b.tickets(), CallerFacts: callerFactsOf(created),
	}), b.replaceIfClicked(req))
	return nil
}

// note puts on record a step of a pending action the bot takes by itself (it was
// requested, it expired): nobody's authority is involved, so it is noted, not run.
func (b *Bot) note(ctx context.Context, req *request, p audit.Pending, phase, what string) {
	b.Pipe.Note(ctx, req.Pipe(), pendingStep(p, phase), what)
}

// pendingStep describes a step on pending action p for the pipeline.
func pendingStep(p audit.Pending, phase string) pipeline.Step {
	s := pipeline.Step{
		AuditID: phase + "#" + p.ID, Action: actions.Action(p.Action), Pool: p.Params["pool_name"], Target: p.Target,
		Params: withArgs(map[string]string{"phase": phase, "requester": p.Requester.UserID, "pool_name": p.Params["pool_name"]}, argsOf(p.Params)),
		Reason: p.Reason, ApprovalID: approvalIDOf(p),
		Requester: &pipeline.Origin{Actor: p.Requester, Channel: p.Channel},
	}
	args := argsOf(p.Params)
	if isJobApproval(p) {
		// The job's own action decides who approves it (see policy).
		n, _ := strconv.Atoi(p.Params["count"])
		a := actions.Action(p.Params["action"])
		s.Policy = &policy.Request{Action: a, Job: &policy.Job{Targets: n}, AddGroups: addedGroups(a, args)}
	} else {
		s.Policy = &policy.Request{AddGroups: addedGroups(s.Action, args), Verified: verifies(s.Action, args)}
	}
	s.Policy.Escalated = p.Escalated // past escalate_after: escalate_to may approve too
	return s
}

func approvalIDOf(p audit.Pending) string {
	if p.Kind == kindApproval {
		return p.ID
	}
	return ""
}

// pendingPool is the configured pool a pending action was made for; false when
// the pool is no longer configured (or its name now names another pool).
func (b *Bot) pendingPool(p audit.Pending) (config.Pool, bool) {
	pool, ok := b.Cfg.PoolByName(p.Params["pool_name"])
	if !ok || pool.ID != p.Target.Pool {
		return config.Pool{Name: p.Params["pool_name"], ID: p.Target.Pool}, false
	}
	return pool, true
}

// confirmPending runs a confirmed action if the clicker may, the requester still
// may, the pool is still configured and no approval rule has come to cover it.
func (b *Bot) confirmPending(ctx context.Context, req *request, p audit.Pending) {
	if p.Params[callerThenApproval] != "" {
		b.askApprovalAfterCallerCheck(ctx, req, p)
		return
	}
	action := actions.Action(p.Action)
	pool, poolOK := b.pendingPool(p)
	refuse := func(reason, answer string) {
		b.Pipe.Refuse(ctx, req.Pipe(), pendingStep(p, "exec"), reason)
		b.Reply(ctx, req, views.TrustedNotice(answer), desk.ReplyEphemeral)
	}
	if !poolOK {
		refuse("pool no longer configured", "Nothing was done: the pool this request was made for is no longer configured.")
		return
	}
	// Who may confirm, and whether the request (without the user, read when
	// it runs) has come to need approval since: a rule added meanwhile.
	requester := pipeline.PolicyActor(p.Requester)
	args := argsOf(p.Params)
	d := b.Policy.Decide(ctx, pipeline.PolicyActor(req.Actor), policy.Request{Stage: policy.Run, Action: action, Channel: req.Channel,
		Pool: pool.Name, Requester: &requester, RequesterChannel: p.Channel, AddGroups: addedGroups(action, args),
		Verified: verifies(action, args), Confirming: true, Execute: true, Approved: p.Kind == kindApproval,
		BreakGlass: isBreakGlass(p), HasReason: p.Reason != ""})
	if !d.Allowed() {
		refuse(d.Reason, nothingDone(d.Reason))
		if pipeline.SameActor(p.Requester, req.Actor) {
			_, _ = b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateCancelled, audit.Update{Result: d.Reason})
		}
		return
	}
	out, done := b.execute(ctx, req, p, pool, pipeline.ByRole)
	if !done {
		return
	}
	b.Reply(ctx, req, b.resultMessage(req, action, pool, p.Target.Username, out), b.replaceIfClicked(req))
}

// execute claims the pending action (PENDING → EXECUTING, a conditional write that
// exactly one caller wins) inside the pipeline step that authorizes the clicker and
// re-authorizes the requester, runs it, and records the final state.
func (b *Bot) execute(ctx context.Context, req *request, p audit.Pending, pool config.Pool, authority pipeline.Authority) (pipeline.Outcome, bool) {
	spec, known := actions.Get(actions.Action(p.Action))
	if !known || spec.Op == nil {
		b.Reply(ctx, req, views.Notice("This request names an action this bot no longer has."), desk.ReplyEphemeral)
		return pipeline.Outcome{}, false
	}
	var snapshot map[string]string
	if p.Kind == kindApproval {
		snapshot = p.Snapshot
	}
	step := pendingStep(p, "exec")
	step.Authority = authority
	step.Params["phase"] = "execute"
	var claimErr error
	claimed := false
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()})
		claimed = claimErr == nil
		return claimErr
	}
	stillAllowed := b.pendingCheck(ctx, p, pool, spec.Action)
	step.Op = b.finalOp(execOp(spec, pool, desk.Identity{Username: p.Target.Username, Sub: p.Target.Sub}, argsOf(p.Params), snapshot, stillAllowed),
		spec, p, pool, req.Actor, snapshot, stillAllowed)
	out, ok := b.do(ctx, req, step)
	if !claimed {
		if ok && claimErr != nil {
			b.answerClaimLost(ctx, req, claimErr)
		}
		return out, false
	}
	final, result := audit.StateDone, out.Result.Summary
	if out.Err != nil || out.Duplicate {
		final, result = audit.StateFailed, b.ExplainOnce(&out.Err, req, p.Action)
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), desk.AuditFinishTimeout)
	defer cancel()
	if _, err := b.State.Transition(fctx, p.ID, audit.StateExecuting, final, audit.Update{Result: result}); err != nil {
		b.LogInternal(transport.NewRef(), err, req, p.Action)
	}
	return out, true
}

// answerClaimLost tells a clicker that someone else decided first, or that the
// state store could not be reached.
func (b *Bot) answerClaimLost(ctx context.Context, req *request, err error) {
	var te *audit.TransitionError
	if errors.As(err, &te) {
		b.Reply(ctx, req, views.TrustedNotice(alreadyText(te.Current)), desk.ReplyEphemeral)
		return
	}
	b.stateDown(ctx, req, err)
}

// cancel withdraws a pending confirmation; only the requester may.
func (b *Bot) cancel(ctx context.Context, req *request, id string) {
	p, ok := b.loadPending(ctx, req, id, kindConfirm)
	if !ok {
		return
	}
	if b.leavePending(ctx, req, p, phaseCancel, audit.StateCancelled, pipeline.ByRequester, "cancelled by the requester") {
		b.Reply(ctx, req, views.Notice("Cancelled. Nothing was done to "+p.Target.Username+"."), desk.ReplyReplace)
	}
}

// leavePending moves p out of PENDING without running it (cancel, reject) as one
// pipeline step: authorized, then the conditional write, then recorded.
func (b *Bot) leavePending(ctx context.Context, req *request, p audit.Pending, phase string, to audit.State, authority pipeline.Authority, what string) bool {
	step := pendingStep(p, phase)
	step.Authority = authority
	step.Params["outcome"] = what
	var claimErr error
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.Transition(ctx, p.ID, audit.StatePending, to, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()})
		return claimErr
	}
	out, ok := b.do(ctx, req, step)
	switch {
	case !ok:
		return false
	case claimErr != nil:
		b.answerClaimLost(ctx, req, claimErr)
		return false
	case out.Err != nil:
		b.LogInternal(transport.NewRef(), out.Err, req, p.Action)
	}
	return true
}
