package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// Kinds of pending action, as package audit names them.
const (
	KindConfirm  = audit.KindConfirm
	KindApproval = audit.KindApproval
)

// Phases of a pending action recorded in the audit log, each under its own id.
const (
	phaseRequest pipeline.Phase = "request"
	phaseCancel  pipeline.Phase = "cancel"
	phaseReject  pipeline.Phase = "reject"
	phaseExpire  pipeline.Phase = "expire"
	// phaseEscalate notes an approval's escalation; phaseBreakGlass indexes a
	// break-glass run under the pool.
	phaseEscalate   pipeline.Phase = "escalate"
	phaseBreakGlass pipeline.Phase = "break-glass"
	// PhaseCheck is a request refused when the policy was asked, before anything
	// was recorded as pending.
	PhaseCheck pipeline.Phase = "check"
	// PhaseExec is the id prefix of a click that carries a pending action out
	// (and the phase of its refusals); PhaseExecute the phase of its run.
	PhaseExec    pipeline.Phase = "exec"
	PhaseExecute pipeline.Phase = "execute"
)

// Prepare records the pending action behind a confirm or approval button, as
// the policy decided (d: Confirm or Approve).
func (b *Flows) Prepare(ctx context.Context, req *transport.Request, ar ActionRequest, u *cognito.User, d policy.Decision) error {
	action := ar.Spec.Action
	if !views.DetailsShowWhole(confirmArgs(ar.Args), editChanges(ar.Args, u)) {
		// Nobody confirms or approves what the card cannot show whole.
		b.RefuseAsked(ctx, req, pipeline.Step{AuditID: auditid.ForRequest(auditid.Ask, req.Ref, string(action)), Action: action, Pool: ar.Pool.Name,
			Target: ar.Target.AuditTarget(ar.Pool)}, policy.Decision{Reason: "the values are too many or too long to be shown whole " +
			"for confirmation; make fewer or shorter changes at a time"})
		return nil
	}
	rule, approval := d.Rule, d.Verdict == policy.Approve
	kind, expiry := KindConfirm, b.Cfg.Confirm.Expiry.Std()
	params := withCallerFacts(pendingParams(ar), d, u)
	if approval && params[callerFactsKey] != "" && !ar.callerVerified {
		// The requester, who speaks with the caller, verifies them first.
		approval, params[callerThenApproval] = false, "true"
	}
	if approval {
		kind, expiry = KindApproval, rule.Expiry.Std()
	}
	now := b.Now()
	created, err := b.State.Create(ctx, audit.Pending{
		ID: ar.PendingID, Kind: kind, Action: action,
		Target: audit.Target{Pool: ar.Pool.ID, Username: u.Username, Sub: u.Sub}, Pool: ar.Pool.Name,
		Params: params, Old: oldValues(ar, u),
		Reason:    ar.Reason,
		Requester: req.Actor, Channel: req.Channel,
		CreatedAt: now, ExpiresAt: now.Add(expiry),
		Snapshot: desk.SnapshotOf(u),
	})
	if errors.Is(err, audit.ErrDuplicate) {
		// The same interaction arrived again; show what already exists.
		created, err = b.State.Get(ctx, ar.PendingID)
		if err == nil && created.State != audit.StatePending {
			b.Reply(ctx, req, views.TrustedNotice(AlreadyText(created)), desk.ReplyEphemeral)
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
		return b.SendForApproval(ctx, req, created, ar.Pool, rule)
	case ar.Confirmed && callerFactsOf(created) == nil:
		b.ConfirmPending(ctx, req, created)
		return nil
	}
	b.note(ctx, req, created, phaseRequest, "awaiting confirmation")
	b.Reply(ctx, req, views.ConfirmPrompt(views.ConfirmView{
		ID: created.ID, Action: string(created.Action), Words: Words(action), Username: u.Username, Pool: ar.Pool.Name,
		Requester: desk.ToActorView(req.Actor), Expires: created.ExpiresAt, Reason: ar.Reason, Detail: callerApprovalDetail(created, b.JobHooks.PromptDetail(ar)),
		Args: confirmArgs(ar.Args), Changes: editChanges(ar.Args, u), Tickets: b.Tickets(), CallerFacts: callerFactsOf(created),
	}), b.ReplaceIfClicked(req))
	return nil
}

// note puts on record a step of a pending action the bot takes by itself (it was
// requested, it expired): nobody's authority is involved, so it is noted, not run.
func (b *Flows) note(ctx context.Context, req *transport.Request, p audit.Pending, phase pipeline.Phase, what string) {
	b.Pipe.Note(ctx, req.Pipe(), PendingStep(p, phase), what)
}

// PendingStep describes a step on pending action p for the pipeline.
func PendingStep(p audit.Pending, phase pipeline.Phase) pipeline.Step {
	s := pipeline.Step{
		AuditID: auditid.ForPending(string(phase), p.ID), Action: p.Action, Pool: p.Pool, Target: p.Target, Phase: phase,
		Params: WithArgs(map[string]string{"requester": p.Requester.UserID, "pool_name": p.Pool}, ArgsOf(p.Params)),
		Reason: p.Reason, ApprovalID: approvalIDOf(p),
		Requester: &pipeline.Origin{Actor: p.Requester, Channel: p.Channel},
	}
	args := ArgsOf(p.Params)
	if IsJobApproval(p) {
		// The job's own action decides who approves it (see policy).
		a := p.JobApproval.Action
		s.Policy = &policy.Request{Action: a, Job: &policy.Job{Targets: p.JobApproval.Count}, AddGroups: AddedGroups(a, args)}
	} else {
		s.Policy = &policy.Request{AddGroups: AddedGroups(s.Action, args), Verified: Verifies(s.Action, args)}
	}
	s.Policy.Escalated = p.Escalated // past escalate_after: escalate_to may approve too
	return s
}

func approvalIDOf(p audit.Pending) string {
	if p.Kind == KindApproval {
		return p.ID
	}
	return ""
}

// PendingPool is the configured pool a pending action was made for; false when
// the pool is no longer configured (or its name now names another pool).
func (b *Flows) PendingPool(p audit.Pending) (config.Pool, bool) {
	pool, ok := b.Cfg.PoolByName(p.Pool)
	if !ok || pool.ID != p.Target.Pool {
		return config.Pool{Name: p.Pool, ID: p.Target.Pool}, false
	}
	return pool, true
}

// ConfirmPending runs a confirmed action if the clicker may, the requester still
// may, the pool is still configured and no approval rule has come to cover it.
func (b *Flows) ConfirmPending(ctx context.Context, req *transport.Request, p audit.Pending) {
	if p.Params[callerThenApproval] != "" {
		b.askApprovalAfterCallerCheck(ctx, req, p)
		return
	}
	action := p.Action
	pool, poolOK := b.PendingPool(p)
	refuse := func(reason, answer string) {
		b.Pipe.Refuse(ctx, req.Pipe(), PendingStep(p, PhaseExec), reason)
		b.Reply(ctx, req, views.TrustedNotice(answer), desk.ReplyEphemeral)
	}
	if !poolOK {
		refuse("pool no longer configured", "Nothing was done: the pool this request was made for is no longer configured.")
		return
	}
	// Who may confirm, and whether the request (without the user, read when
	// it runs) has come to need approval since: a rule added meanwhile.
	requester := pipeline.PolicyActor(p.Requester)
	args := ArgsOf(p.Params)
	d := b.Policy.Decide(ctx, pipeline.PolicyActor(req.Actor), policy.Request{Stage: policy.Run, Action: action, Channel: req.Channel,
		Pool: pool.Name, Requester: &requester, RequesterChannel: p.Channel, AddGroups: AddedGroups(action, args),
		Verified: Verifies(action, args), Confirming: true, Execute: true, Approved: p.Kind == KindApproval,
		BreakGlass: IsBreakGlass(p), HasReason: p.Reason != ""})
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
	b.Reply(ctx, req, b.ResultMessage(req, action, pool, p.Target.Username, out), b.ReplaceIfClicked(req))
}

// execute claims the pending action (PENDING → EXECUTING, a conditional write that
// exactly one caller wins) inside the pipeline step that authorizes the clicker and
// re-authorizes the requester, runs it, and records the final state.
func (b *Flows) execute(ctx context.Context, req *transport.Request, p audit.Pending, pool config.Pool, authority pipeline.Authority) (pipeline.Outcome, bool) {
	spec, known := actions.Get(p.Action)
	// Undo has no table operation: JobHooks.FinalOp puts its own in place.
	if !known || (spec.Op == nil && spec.Action != actions.Undo) {
		b.Reply(ctx, req, views.Notice("This request names an action this bot no longer has."), desk.ReplyEphemeral)
		return pipeline.Outcome{}, false
	}
	var snapshot *audit.TargetSnapshot
	if p.Kind == KindApproval {
		snapshot = p.Snapshot
	}
	step := PendingStep(p, PhaseExec)
	step.Authority = authority
	step.Phase = PhaseExecute
	var claimErr error
	claimed := false
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()})
		claimed = claimErr == nil
		return claimErr
	}
	stillAllowed := b.PendingCheck(ctx, p, pool, spec.Action)
	step.Op = b.JobHooks.FinalOp(ExecOp(spec, pool, desk.Identity{Username: p.Target.Username, Sub: p.Target.Sub}, ArgsOf(p.Params), snapshot, stillAllowed),
		spec, p, pool, req.Actor, snapshot, stillAllowed)
	out, ok := b.Do(ctx, req, step)
	if !claimed {
		if ok && claimErr != nil {
			b.AnswerClaimLost(ctx, req, claimErr)
		}
		return out, false
	}
	final, result := audit.StateDone, out.Result.Summary
	if out.Err != nil || out.Duplicate {
		final, result = audit.StateFailed, b.ExplainOnce(&out.Err, req, string(p.Action))
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), desk.AuditFinishTimeout)
	defer cancel()
	if _, err := b.State.Transition(fctx, p.ID, audit.StateExecuting, final, audit.Update{Result: result}); err != nil {
		b.LogInternal(transport.NewRef(), err, req, string(p.Action))
	}
	return out, true
}

// AnswerClaimLost tells a clicker that someone else decided first, or that the
// state store could not be reached.
func (b *Flows) AnswerClaimLost(ctx context.Context, req *transport.Request, err error) {
	var te *audit.TransitionError
	if errors.As(err, &te) {
		b.Reply(ctx, req, views.TrustedNotice(AlreadyText(te.Current)), desk.ReplyEphemeral)
		return
	}
	b.StateDown(ctx, req, err)
}

// Cancel withdraws a pending confirmation; only the requester may.
func (b *Flows) Cancel(ctx context.Context, req *transport.Request, id string) {
	p, ok := b.LoadPending(ctx, req, id, KindConfirm)
	if !ok {
		return
	}
	if b.leavePending(ctx, req, p, phaseCancel, audit.StateCancelled, pipeline.ByRequester, "cancelled by the requester") {
		b.Reply(ctx, req, views.Notice("Cancelled. Nothing was done to "+p.Target.Username+"."), desk.ReplyReplace)
	}
}

// leavePending moves p out of PENDING without running it (cancel, reject) as one
// pipeline step: authorized, then the conditional write, then recorded.
func (b *Flows) leavePending(ctx context.Context, req *transport.Request, p audit.Pending, phase pipeline.Phase, to audit.State, authority pipeline.Authority, what string) bool {
	step := PendingStep(p, phase)
	step.Authority = authority
	step.Params["outcome"] = what
	var claimErr error
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.Transition(ctx, p.ID, audit.StatePending, to, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()})
		return claimErr
	}
	out, ok := b.Do(ctx, req, step)
	switch {
	case !ok:
		return false
	case claimErr != nil:
		b.AnswerClaimLost(ctx, req, claimErr)
		return false
	case out.Err != nil:
		b.LogInternal(transport.NewRef(), out.Err, req, string(p.Action))
	}
	return true
}
