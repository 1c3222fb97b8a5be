package flows

import (
	"cmp"
	"context"
	"strings"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// DirectParam marks, with "true", the intent of a single-user action run at
// once, with no pending item (an enable, a Resend invite or Verify button):
// its Target is the user the run read and acted on, exactly (username and
// sub), never what was typed. When its bot stopped mid-call the sweeper
// settles it by reading that user back (settleDirect). Intents without it —
// a lookup, a find step, those written before it existed — are closed
// "outcome unknown": what they name is never parsed again.
const DirectParam = "direct"

// abandonedIntent is why an open intent the sweeper cannot settle is closed
// "outcome unknown".
const abandonedIntent = "the bot stopped before recording it"

// closeOpenIntents gives every audit intent left open by a bot that stopped,
// at most 25 a sweep, its outcome: an action run at once on one user is
// settled by reading the user back (settleDirect); any other (a lookup, an
// intent of an earlier version) is closed "outcome unknown".
func (b *Flows) closeOpenIntents(ctx context.Context) {
	open, err := b.Pipe.OpenIntents(ctx, b.Now().Add(-b.AbandonAfter), 25)
	if err != nil {
		b.Log.Warn("closing abandoned audit intents", zap.Error(err))
		return
	}
	n := 0
	for _, e := range open {
		if run, ok := directRun(e); ok {
			b.settleDirect(ctx, e, run)
			continue
		}
		closed, err := b.Pipe.CloseAbandoned(ctx, e.ID, abandonedIntent)
		if err != nil {
			b.Log.Warn("closing abandoned audit intents", zap.Error(err))
			break
		}
		if closed {
			n++
		}
	}
	if n > 0 {
		b.Log.Error("closed audit intents whose bot stopped mid-way; outcome unknown", zap.Int("count", n))
	}
}

// directRun is the open intent e of an action run at once (DirectParam),
// as the pending action it never had: requested and carried out by the
// intent's actor in its channel, on the user its target names exactly. It is
// false for any other intent, and for one whose target lacks the username or
// the sub, which is then never read.
func directRun(e audit.Entry) (audit.Pending, bool) {
	id, exec := strings.CutPrefix(e.ID, auditid.ForExec(""))
	if !exec || e.Params[DirectParam] != "true" || e.Params["phase"] != string(PhaseExecute) ||
		e.Target.Username == "" || e.Target.Sub == "" {
		return audit.Pending{}, false
	}
	return audit.Pending{ID: id, Kind: KindConfirm, Action: actions.Action(e.Action), State: audit.StateExecuting,
		Target: e.Target, Pool: e.Params["pool_name"], Params: e.Params, Reason: e.Reason,
		Requester: e.Actor, DecidedBy: e.Actor, Channel: e.Channel}, true
}

// settleDirect closes the intent e of an action run at once whose bot
// stopped mid-call, as abandon does an action left executing: the user is
// read back (readBack: an audited pipeline step authorized as the run was,
// on the stored identity exactly) when the action's Reached can tell, and
// the intent closed OK "done" or an error "not done … run it again";
// otherwise "outcome unknown". A read that fails leaves it for the next
// sweep. The person who ran it, who never got an answer, is told by DM.
func (b *Flows) settleDirect(ctx context.Context, e audit.Entry, run audit.Pending) {
	rb, err := b.readBack(ctx, run)
	if err != nil {
		b.Log.Warn("reading back the user of an abandoned action", zap.String("audit_id", e.ID), zap.Error(err))
		return // the next sweep tries again
	}
	outcome, message := audit.OutcomeError, UnknownOutcome
	switch {
	case rb.reached:
		outcome, message = audit.OutcomeOK, cmp.Or(rb.said, ReadBackDone)
	case rb.known:
		message = cmp.Or(rb.said, ReadBackNotDone)
	}
	var closed bool
	if rb.known {
		closed, err = b.Pipe.CloseSettled(ctx, e.ID, outcome, message)
	} else {
		closed, err = b.Pipe.CloseAbandoned(ctx, e.ID, abandonedIntent)
	}
	if err != nil || !closed {
		if err != nil {
			b.Log.Warn("recording an abandoned action's outcome", zap.String("audit_id", e.ID), zap.Error(err))
		}
		return // another replica closed it, or the next sweep will
	}
	b.Log.Error("closed an action whose bot stopped mid-way", zap.String("audit_id", e.ID),
		zap.String("action", e.Action), zap.String("pool", e.Target.Pool), zap.Bool("outcome_unknown", !rb.known))
	pool, _ := b.PendingPool(run)
	words := Words(run.Action)
	words.Done = cmp.Or(rb.done, words.Done)
	m := views.ActionResult(views.ResultView{Action: e.Action, Words: words, Username: e.Target.Username, Pool: pool.Name,
		By: desk.ToActorView(e.Actor), At: b.Now(), OK: rb.reached, Message: message})
	if err := b.DM(ctx, e.Actor.UserID, m); err != nil {
		b.Log.Warn("telling the requester about an abandoned action", zap.String("audit_id", e.ID), zap.Error(err))
	}
}
