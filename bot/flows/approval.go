package flows

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// SendForApproval posts the approval card in the approvals channel and tells the
// requester. If the card cannot be posted the request is cancelled, so nothing is
// left pending that no approver can see.
func (b *Flows) SendForApproval(ctx context.Context, req *transport.Request, p audit.Pending, pool config.Pool, rule config.ApprovalRule) error {
	if p.CardTS != "" {
		b.Reply(ctx, req, views.TrustedNotice("This request is already waiting for approval in <#"+p.CardChannel+">."), desk.ReplyEphemeral)
		return nil
	}
	card := views.ApprovalCard(b.ApprovalViewOf(p, pool))
	_, ts, err := b.Slack.PostMessageContext(ctx, rule.Channel, slack.MsgOptionText(card.Text, false), slack.MsgOptionBlocks(card.Blocks...))
	if err != nil {
		_, _ = b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateCancelled, audit.Update{Result: "approval card could not be posted"})
		b.Log.Error("posting approval card", zap.String("channel_id", rule.Channel), zap.String("pending_id", p.ID), zap.Error(err))
		return &desk.ApprovalChannelError{Channel: rule.Channel, Err: err}
	}
	if err := b.State.SetCard(ctx, p.ID, rule.Channel, ts); err != nil {
		b.LogInternal(transport.NewRef(), err, req, string(p.Action))
	}
	b.note(ctx, req, p, phaseRequest, "sent for approval")
	b.Reply(ctx, req, views.TrustedNotice(fmt.Sprintf("Sent for approval in <#%s>. You'll get a direct message when it is decided (expires <!date^%d^{date_short_pretty} {time}|%s>).",
		rule.Channel, p.ExpiresAt.Unix(), p.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))), b.ReplaceIfClicked(req))
	return nil
}

// ApprovalViewOf is the approval card of a pending action, job or export.
func (b *Flows) ApprovalViewOf(p audit.Pending, pool config.Pool) views.ApprovalView {
	if p.Action == actions.Export {
		v := exportApprovalView(p, pool)
		v.Tickets = b.Tickets()
		return v
	}
	if IsJobApproval(p) {
		args, _ := ActionDetails(ArgsOf(p.Params), nil)
		return views.ApprovalView{ID: p.ID, Action: string(p.JobApproval.Action), Words: Words(p.JobApproval.Action),
			Requester: desk.ToActorView(p.Requester), Pool: desk.ToPoolView(pool), Reason: p.Reason, Created: p.CreatedAt, Expires: p.ExpiresAt,
			Args: args, Job: jobApprovalView(p), Tickets: b.Tickets()}
	}
	args, changes := ActionDetails(ArgsOf(p.Params), p.Old)
	return views.ApprovalView{
		ID: p.ID, Action: string(p.Action), Words: Words(desk.ActionOf(p)), Requester: desk.ToActorView(p.Requester),
		Target: desk.UserFromSnapshot(p.Target.Username, p.Snapshot), Pool: desk.ToPoolView(pool),
		Reason: p.Reason, Created: p.CreatedAt, Expires: p.ExpiresAt, Args: args, Changes: changes, Tickets: b.Tickets(),
	}
}

// Decide handles Approve and Reject. The pipeline checks that the clicker is an
// approver (never the requester) and, on Approve, that the requester still holds
// the action; the state machine decides which of several simultaneous clicks wins,
// and the others are told who decided.
func (b *Flows) Decide(ctx context.Context, req *transport.Request, id string, approve bool) {
	p, ok := b.LoadPending(ctx, req, id, KindApproval)
	if !ok {
		return
	}
	pool, poolOK := b.PendingPool(p)
	view := b.ApprovalViewOf(p, pool)
	if !approve {
		if b.leavePending(ctx, req, p, phaseReject, audit.StateRejected, pipeline.ByApprover, "rejected") {
			if IsJobApproval(p) {
				b.JobHooks.DiscardRejectedJob(ctx, req, p)
			}
			b.CloseCard(ctx, req, p, view, views.DecisionView{State: "rejected", By: desk.ToActorView(req.Actor), At: b.Now()})
		}
		return
	}
	if !poolOK {
		b.Pipe.Refuse(ctx, req.Pipe(), PendingStep(p, "exec"), "pool no longer configured")
		b.Reply(ctx, req, views.Notice("Nothing was done: the pool this request was made for is no longer configured. Reject it instead."), desk.ReplyEphemeral)
		return
	}
	if IsJobApproval(p) {
		b.JobHooks.ApproveJob(ctx, req, p, view)
		return
	}
	if p.Action == actions.Export {
		b.JobHooks.ApproveExport(ctx, req, p, pool, view)
		return
	}
	out, done := b.execute(ctx, req, p, pool, pipeline.ByApprover)
	if !done {
		return
	}
	dec := views.DecisionView{State: "approved", By: desk.ToActorView(req.Actor), At: b.Now(), OK: out.Err == nil, Result: out.Result.Summary}
	if out.Err != nil {
		dec.State, dec.Result = "failed", b.UserMessage(out.Err, req, string(p.Action))
	}
	b.CloseCard(ctx, req, p, view, dec)
}

// CloseCard replaces the approval card with the decision and tells the requester.
func (b *Flows) CloseCard(ctx context.Context, req *transport.Request, p audit.Pending, view views.ApprovalView, dec views.DecisionView) {
	m := views.ApprovalDecided(view, dec)
	switch {
	case p.CardTS != "":
		if err := b.UpdateMessage(ctx, p.CardChannel, p.CardTS, m); err != nil {
			b.Log.Error("updating approval card", zap.String("pending_id", p.ID), zap.Error(err))
		}
	case req.FromMessage:
		b.Reply(ctx, req, m, desk.ReplyReplace)
	}
	if err := b.DM(ctx, p.Requester.UserID, m); err != nil {
		b.Log.Error("telling the requester", zap.String("pending_id", p.ID), zap.Error(err))
	}
}

// expire moves one pending action to EXPIRED and, for approvals, closes its card.
// It is safe on every replica: only the caller whose conditional write wins acts.
func (b *Flows) expire(ctx context.Context, p audit.Pending) {
	_, err := b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateExpired, audit.Update{DecidedAt: b.Now()})
	if err != nil {
		if !errors.Is(err, audit.ErrConflict) {
			b.Log.Warn("expiring pending action", zap.String("pending_id", p.ID), zap.Error(err))
		}
		return
	}
	requester := &transport.Request{Actor: p.Requester, Channel: p.Channel}
	b.note(ctx, requester, p, phaseExpire, "expired without a decision")
	if p.Kind != KindApproval {
		return
	}
	pool, _ := b.PendingPool(p)
	b.CloseCard(ctx, requester, p, b.ApprovalViewOf(p, pool), views.DecisionView{State: "expired", At: p.ExpiresAt})
}

// Tickets is how views find and link ticket ids in reasons (tickets.pattern and
// tickets.url).
func (b *Flows) Tickets() views.Tickets {
	t := views.Tickets{Pattern: b.Cfg.Tickets.Regexp()}
	if b.Cfg.Tickets.URL != "" {
		t.URL = b.Cfg.Tickets.Link
	}
	return t
}
