package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// sendForApproval posts the approval card in the approvals channel and tells the
// requester. If the card cannot be posted the request is cancelled, so nothing is
// left pending that no approver can see.
func (b *Bot) sendForApproval(ctx context.Context, req *request, p audit.Pending, pool config.Pool, rule config.ApprovalRule) error {
	if p.CardTS != "" {
		b.reply(ctx, req, views.TrustedNotice("This request is already waiting for approval in <#"+p.CardChannel+">."), replyEphemeral)
		return nil
	}
	card := views.ApprovalCard(b.approvalViewOf(p, pool))
	_, ts, err := b.slack.PostMessageContext(ctx, rule.Channel, slack.MsgOptionText(card.Text, false), slack.MsgOptionBlocks(card.Blocks...))
	if err != nil {
		_, _ = b.state.Transition(ctx, p.ID, audit.StatePending, audit.StateCancelled, audit.Update{Result: "approval card could not be posted"})
		b.log.Error("posting approval card", zap.String("channel_id", rule.Channel), zap.String("pending_id", p.ID), zap.Error(err))
		return &approvalChannelError{channel: rule.Channel, err: err}
	}
	if err := b.state.SetCard(ctx, p.ID, rule.Channel, ts); err != nil {
		b.logInternal(transport.NewRef(), err, req, p.Action)
	}
	b.note(ctx, req, p, phaseRequest, "sent for approval")
	b.reply(ctx, req, views.TrustedNotice(fmt.Sprintf("Sent for approval in <#%s>. You'll get a direct message when it is decided (expires <!date^%d^{date_short_pretty} {time}|%s>).",
		rule.Channel, p.ExpiresAt.Unix(), p.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))), b.replaceIfClicked(req))
	return nil
}

// approvalChannelError means the approval card could not be posted, so the request
// was withdrawn rather than left waiting where no approver can see it.
type approvalChannelError struct {
	channel string
	err     error
}

func (e *approvalChannelError) Error() string {
	return "posting approval card in " + e.channel + ": " + e.err.Error()
}

func (e *approvalChannelError) Unwrap() error { return e.err }

func (b *Bot) approvalViewOf(p audit.Pending, pool config.Pool) views.ApprovalView {
	if p.Action == string(actions.Export) {
		v := exportApprovalView(p, pool)
		v.Tickets = b.tickets()
		return v
	}
	if isJobApproval(p) {
		args, _ := actionDetails(argsOf(p.Params), nil)
		return views.ApprovalView{ID: p.ID, Action: p.Params["action"], Words: words(actions.Action(p.Params["action"])),
			Requester: toActorView(p.Requester), Pool: toPoolView(pool), Reason: p.Reason, Created: p.CreatedAt, Expires: p.ExpiresAt,
			Args: args, Job: jobApprovalView(p), Tickets: b.tickets()}
	}
	args, changes := actionDetails(argsOf(p.Params), oldValuesOf(p.Params))
	return views.ApprovalView{
		ID: p.ID, Action: p.Action, Words: words(actionOf(p)), Requester: toActorView(p.Requester),
		Target: userFromSnapshot(p.Target.Username, p.Snapshot), Pool: toPoolView(pool),
		Reason: p.Reason, Created: p.CreatedAt, Expires: p.ExpiresAt, Args: args, Changes: changes, Tickets: b.tickets(),
	}
}

// decide handles Approve and Reject. The pipeline checks that the clicker is an
// approver (never the requester) and, on Approve, that the requester still holds
// the action; the state machine decides which of several simultaneous clicks wins,
// and the others are told who decided.
func (b *Bot) decide(ctx context.Context, req *request, id string, approve bool) {
	p, ok := b.loadPending(ctx, req, id, kindApproval)
	if !ok {
		return
	}
	pool, poolOK := b.pendingPool(p)
	view := b.approvalViewOf(p, pool)
	if !approve {
		if b.leavePending(ctx, req, p, phaseReject, audit.StateRejected, pipeline.ByApprover, "rejected") {
			if isJobApproval(p) {
				b.discardRejectedJob(ctx, req, p)
			}
			b.closeCard(ctx, req, p, view, views.DecisionView{State: "rejected", By: toActorView(req.Actor), At: b.now()})
		}
		return
	}
	if !poolOK {
		b.pipe.Refuse(ctx, req.Pipe(), pendingStep(p, "exec"), "pool no longer configured")
		b.reply(ctx, req, views.Notice("Nothing was done: the pool this request was made for is no longer configured. Reject it instead."), replyEphemeral)
		return
	}
	if isJobApproval(p) {
		b.approveJob(ctx, req, p, view)
		return
	}
	if p.Action == string(actions.Export) {
		b.approveExport(ctx, req, p, pool, view)
		return
	}
	out, done := b.execute(ctx, req, p, pool, pipeline.ByApprover)
	if !done {
		return
	}
	dec := views.DecisionView{State: "approved", By: toActorView(req.Actor), At: b.now(), OK: out.Err == nil, Result: out.Result.Summary}
	if out.Err != nil {
		dec.State, dec.Result = "failed", b.userMessage(out.Err, req, p.Action)
	}
	b.closeCard(ctx, req, p, view, dec)
}

// closeCard replaces the approval card with the decision and tells the requester.
func (b *Bot) closeCard(ctx context.Context, req *request, p audit.Pending, view views.ApprovalView, dec views.DecisionView) {
	m := views.ApprovalDecided(view, dec)
	switch {
	case p.CardTS != "":
		if err := b.updateMessage(ctx, p.CardChannel, p.CardTS, m); err != nil {
			b.log.Error("updating approval card", zap.String("pending_id", p.ID), zap.Error(err))
		}
	case req.FromMessage:
		b.reply(ctx, req, m, replyReplace)
	}
	if err := b.dm(ctx, p.Requester.UserID, m); err != nil {
		b.log.Error("telling the requester", zap.String("pending_id", p.ID), zap.Error(err))
	}
}

// expire moves one pending action to EXPIRED and, for approvals, closes its card.
// It is safe on every replica: only the caller whose conditional write wins acts.
func (b *Bot) expire(ctx context.Context, p audit.Pending) {
	_, err := b.state.Transition(ctx, p.ID, audit.StatePending, audit.StateExpired, audit.Update{DecidedAt: b.now()})
	if err != nil {
		if !errors.Is(err, audit.ErrConflict) {
			b.log.Warn("expiring pending action", zap.String("pending_id", p.ID), zap.Error(err))
		}
		return
	}
	requester := &request{Actor: p.Requester, Channel: p.Channel}
	b.note(ctx, requester, p, phaseExpire, "expired without a decision")
	if p.Kind != kindApproval {
		return
	}
	pool, _ := b.pendingPool(p)
	b.closeCard(ctx, requester, p, b.approvalViewOf(p, pool), views.DecisionView{State: "expired", At: p.ExpiresAt})
}
