package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/slack-go/slack"
)

// askReason opens the reason modal. Slack's trigger_id lives 3 s and works once, so
// this runs before any other slow work for the interaction; when it has lapsed the
// user is asked to pass --reason instead.
func (b *Bot) askReason(ctx context.Context, req *request, ar actionRequest, u *cognito.User) error {
	id := desk.NewSessionID()
	err := b.SaveSession(ctx, req, id, desk.KindReason, desk.ReasonSession{
		Action: ar.spec.Action, Target: identityOf(u), Confirmed: ar.confirmed,
		PendingID: ar.pendingID, Args: ar.args, FormOrigin: desk.OriginOf(req, ar.pool),
	})
	if err != nil {
		return err
	}
	if req.TriggerID != "" {
		if _, err := b.Slack.OpenViewContext(ctx, req.TriggerID, views.ReasonModal(id, string(ar.spec.Action), words(ar.spec.Action), u.Username)); err == nil {
			return nil
		}
	}
	return desk.Usagef("%s needs a reason. Run it again with `--reason \"…\"`.", ar.spec.Action)
}

// handleReasonForm continues the request the reason was asked for.
func (b *Bot) handleReasonForm(ctx context.Context, req *request, meta string, form any) {
	reason, _ := form.(string)
	var s desk.ReasonSession
	pool, ok := b.LoadForm(ctx, req, meta, desk.KindReason, &s)
	if !ok {
		return
	}
	spec, known := actions.Get(s.Action)
	if !known || spec.Op == nil {
		b.Reply(ctx, req, views.Notice("This request is no longer valid."), desk.ReplyEphemeral)
		return
	}
	err := b.requestAction(ctx, req, actionRequest{spec: spec, pool: pool, target: exactly(s.Target), reason: reason, args: s.Args,
		confirmed: s.Confirmed, pendingID: s.PendingID})
	if err != nil {
		b.answerError(ctx, req, spec.Action, err)
	}
}

// readReasonForm is the reason modal's check: a reason, not too long.
func readReasonForm(v *slack.View) (any, map[string]string) {
	var reason string
	if v.State != nil {
		reason = strings.TrimSpace(v.State.Values[views.ReasonBlockID][views.ReasonActionID].Value)
	}
	switch {
	case reason == "":
		return reason, map[string]string{views.ReasonBlockID: "Please give a reason."}
	case len([]rune(reason)) > maxReasonLen:
		return reason, map[string]string{views.ReasonBlockID: fmt.Sprintf("Please keep the reason under %d characters.", maxReasonLen)}
	}
	return reason, nil
}
