package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// Run connects through client and serves until ctx ends or Slack refuses the
// credentials. Every envelope is acked at once; the work runs afterwards in its own
// goroutine with a timeout and panic recovery. Run waits for in-flight work before
// returning, so a graceful shutdown never cuts an action between audit and Cognito.
func (b *Bot) Run(ctx context.Context, client *socketmode.Client) error {
	var work sync.WaitGroup
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()

	runErr := make(chan error, 1)
	go func() { runErr <- client.RunContext(ctx) }()
	go b.sweepLoop(ctx)
	beat := time.NewTicker(HeartbeatInterval)
	defer beat.Stop()
	b.observer().Heartbeat()

	for {
		select {
		case <-ctx.Done():
			b.drain(&work, stopWork)
			return nil
		case err := <-runErr:
			b.drain(&work, stopWork)
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("running socket mode: %w", err)
		case <-beat.C:
			b.observer().Heartbeat()
		case evt := <-client.Events:
			b.dispatch(workCtx, client, evt, &work)
		}
	}
}

// dispatch acks one event and starts its work. It must never block: slack-go's
// event channel has to be drained continuously.
func (b *Bot) dispatch(ctx context.Context, client *socketmode.Client, evt socketmode.Event, work *sync.WaitGroup) {
	defer b.observe(evt, time.Now())
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		b.ack(client, evt.Request, nil)
		if !ok {
			return
		}
		req := requestFromCommand(cmd, evt.Request.EnvelopeID)
		b.spawn(ctx, work, req, func(ctx context.Context) { b.handleCommand(ctx, req, cmd.Text) })

	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			b.ack(client, evt.Request, nil)
			return
		}
		switch cb.Type {
		case slack.InteractionTypeBlockActions:
			b.ack(client, evt.Request, nil)
			if len(cb.ActionCallback.BlockActions) == 0 {
				return
			}
			act := cb.ActionCallback.BlockActions[0]
			req := requestFromAction(cb, act, evt.Request.EnvelopeID)
			b.spawn(ctx, work, req, func(ctx context.Context) { b.handleClick(ctx, req, act.ActionID, act.Value) })
		case slack.InteractionTypeViewSubmission:
			// Validation errors travel in the ack, so this check runs before acking.
			reason, problem := reasonFromSubmission(cb)
			if problem != "" {
				b.ack(client, evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{views.ReasonBlockID: problem}))
				return
			}
			b.ack(client, evt.Request, nil)
			req := requestFromSubmission(cb, evt.Request.EnvelopeID)
			b.spawn(ctx, work, req, func(ctx context.Context) { b.handleReasonSubmitted(ctx, req, cb.View.PrivateMetadata, reason) })
		default:
			b.ack(client, evt.Request, nil)
		}

	case socketmode.EventTypeEventsAPI:
		b.ack(client, evt.Request, nil)

	case socketmode.EventTypeConnectionError:
		b.log.Warn("socket mode connection error", zap.Any("detail", evt.Data))
	case socketmode.EventTypeConnected:
		b.log.Info("connected to Slack")
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack refused the app token (invalid_auth)")
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			b.ack(client, evt.Request, nil)
		}
	}
}

// ackTimeout bounds how long queuing one ack may take.
const ackTimeout = 2 * time.Second

// ack answers an envelope. An ack that cannot be queued is logged: Slack will show
// the user an error, and there is nothing else to do.
func (b *Bot) ack(client *socketmode.Client, r *socketmode.Request, payload any) {
	if r == nil {
		return
	}
	// Past Slack's 3 s deadline an ack is useless, and waiting longer would stall the
	// event loop (the send queue can fill while the socket reconnects).
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	if err := client.AckCtx(ctx, r.EnvelopeID, payload); err != nil {
		b.log.Error("acking envelope", zap.String("envelope_id", r.EnvelopeID), zap.Error(err))
	}
}

// spawn runs fn with a timeout, turning a panic into an "internal error (ref X)"
// answer and a full log line instead of a crashed bot.
func (b *Bot) spawn(ctx context.Context, work *sync.WaitGroup, req *request, fn func(context.Context)) {
	work.Add(1)
	b.inflight.Add(1)
	go func() {
		defer work.Done()
		defer b.inflight.Add(-1)
		// A bounded number of handlers run at once, so a burst of envelopes cannot
		// starve the event loop that acks them; the rest wait their turn here.
		b.observer().Queued(1)
		select {
		case b.workers <- struct{}{}:
			b.observer().Queued(-1)
			defer func() { <-b.workers }()
		case <-ctx.Done():
			b.observer().Queued(-1)
			return
		}
		ctx, cancel := context.WithTimeout(ctx, b.timeout)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				ref := newRef()
				b.log.Error("panic while handling envelope",
					zap.String("ref", ref), zap.Any("panic", p), zap.String("stack", string(debug.Stack())),
					zap.String("envelope_id", req.EnvelopeID), zap.String("slack_user_id", req.Actor.UserID))
				b.reply(ctx, req, views.Notice(fmt.Sprintf("Internal error (ref %s). Nothing more will happen for this request.", ref)), replyEphemeral)
			}
		}()
		fn(ctx)
	}()
}

// request is one user interaction, reduced to what the pipeline needs. Identity is
// the Slack user id plus team id; the display name is for messages only.
type request struct {
	Actor       audit.Actor
	Channel     string
	EnvelopeID  string
	Ref         string // stable across redeliveries of the same interaction
	ResponseURL string
	TriggerID   string
	FromMessage bool   // true for clicks: a reply may replace the message clicked
	MessageTS   string // the clicked message, for threaded notes on shared cards
	Ephemeral   bool   // the clicked message was ephemeral
}

func requestFromCommand(cmd slack.SlashCommand, envelopeID string) *request {
	return &request{
		Actor:       audit.Actor{UserID: cmd.UserID, TeamID: cmd.TeamID, Name: cmd.UserName},
		Channel:     cmd.ChannelID,
		EnvelopeID:  envelopeID,
		Ref:         "cmd#" + firstNonEmpty(cmd.TriggerID, envelopeID),
		ResponseURL: cmd.ResponseURL,
		TriggerID:   cmd.TriggerID,
	}
}

// actorOfCallback is the clicker or submitter: user id plus team id (the user's own,
// else the workspace's), never a display name for identity.
func actorOfCallback(cb slack.InteractionCallback) audit.Actor {
	team := cb.User.TeamID
	if team == "" {
		team = cb.Team.ID
	}
	return audit.Actor{UserID: cb.User.ID, TeamID: team, Name: firstNonEmpty(cb.User.Name, cb.User.Username)}
}

func requestFromAction(cb slack.InteractionCallback, act *slack.BlockAction, envelopeID string) *request {
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	return &request{
		Actor:       actorOfCallback(cb),
		Channel:     channel,
		EnvelopeID:  envelopeID,
		Ref:         "click#" + hashKey(cb.User.ID, act.ActionTs, act.ActionID, act.Value),
		ResponseURL: cb.ResponseURL,
		TriggerID:   cb.TriggerID,
		FromMessage: true,
		MessageTS:   cb.Container.MessageTs,
		Ephemeral:   cb.Container.IsEphemeral,
	}
}

func requestFromSubmission(cb slack.InteractionCallback, envelopeID string) *request {
	r := &request{
		Actor:      actorOfCallback(cb),
		EnvelopeID: envelopeID,
		Ref:        "view#" + hashKey(cb.User.ID, cb.View.ID, cb.View.Hash, cb.View.PrivateMetadata),
	}
	if len(cb.ResponseURLs) > 0 {
		r.ResponseURL = cb.ResponseURLs[0].ResponseURL
		r.Channel = cb.ResponseURLs[0].ChannelID
	}
	return r
}

// reasonFromSubmission reads the reason typed into the modal and says what is wrong
// with it, if anything, so the modal can show the problem in place.
func reasonFromSubmission(cb slack.InteractionCallback) (reason, problem string) {
	if cb.View.CallbackID != views.ReasonCallbackID {
		return "", ""
	}
	if cb.View.State != nil {
		if v, ok := cb.View.State.Values[views.ReasonBlockID][views.ReasonActionID]; ok {
			reason = strings.TrimSpace(v.Value)
		}
	}
	switch {
	case reason == "":
		return "", "Please give a reason."
	case len([]rune(reason)) > maxReasonLen:
		return "", fmt.Sprintf("Please keep the reason under %d characters.", maxReasonLen)
	}
	return reason, ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
