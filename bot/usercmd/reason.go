package usercmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/slack-go/slack"
)

// askReason opens the reason modal. Slack's trigger_id lives 3 s and works once, so
// this runs before any other slow work for the interaction; when it has lapsed the
// user is asked to pass --reason instead.
func (b *OneUser) askReason(ctx context.Context, req *transport.Request, ar flows.ActionRequest, u *cognito.User) error {
	id := desk.NewSessionID()
	err := desk.ReasonSessions.Save(ctx, b.Desk, req, id, desk.ReasonSession{
		Action: ar.Spec.Action, Target: flows.IdentityOf(u), Confirmed: ar.Confirmed,
		PendingID: ar.PendingID, Args: ar.Args, FormOrigin: desk.OriginOf(req, ar.Pool),
	})
	if err != nil {
		return err
	}
	if req.TriggerID != "" {
		if _, err := b.Slack.OpenViewContext(ctx, req.TriggerID, views.ReasonModal(id, string(ar.Spec.Action), flows.Words(ar.Spec.Action), u.Username)); err == nil {
			return nil
		}
	}
	return desk.Usagef("%s needs a reason. Run it again with `--reason \"…\"`.", ar.Spec.Action)
}

// HandleReasonForm continues the request the reason was asked for.
func (b *OneUser) HandleReasonForm(ctx context.Context, req *transport.Request, meta string, reason string) {
	s, pool, ok := desk.LoadForm(ctx, b.Desk, req, desk.ReasonSessions, meta)
	if !ok {
		return
	}
	spec, known := actions.Get(s.Action)
	if !known || spec.Op == nil {
		b.Reply(ctx, req, views.Notice("This request is no longer valid."), desk.ReplyEphemeral)
		return
	}
	err := b.RequestAction(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: flows.Exactly(s.Target), Reason: reason, Args: s.Args,
		Confirmed: s.Confirmed, PendingID: s.PendingID})
	if err != nil {
		b.AnswerError(ctx, req, spec.Action, err)
	}
}

// ReadReasonForm is the reason modal's check: a reason, not too long.
func ReadReasonForm(v *slack.View) (string, map[string]string) {
	var reason string
	if v.State != nil {
		reason = strings.TrimSpace(v.State.Values[views.ReasonBlockID][views.ReasonActionID].Value)
	}
	switch {
	case reason == "":
		return reason, map[string]string{views.ReasonBlockID: "Please give a reason."}
	case len([]rune(reason)) > desk.MaxReasonLen:
		return reason, map[string]string{views.ReasonBlockID: fmt.Sprintf("Please keep the reason under %d characters.", desk.MaxReasonLen)}
	}
	return reason, nil
}
