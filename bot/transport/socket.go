package transport

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// Run connects through client and serves until ctx ends or Slack refuses the
// credentials. Every envelope is acked at once; its work is queued for a bounded
// set of workers, with a deadline counted from its arrival and panic recovery.
// When the event loop ends, stop is called first (so the caller's loops, which
// run under ctx, stop before the drain), then Run waits for queued and
// in-flight work, so a graceful shutdown never cuts an action between audit
// and Cognito, and it returns only once every goroutine it started has ended.
func (b *Server) Run(ctx context.Context, client *socketmode.Client, stop context.CancelFunc) error {
	// Deferred calls run last first: stop the loops, drain the workers, then
	// wait for the socket and any background reply.
	defer b.background.Wait()
	q := newWorkQueue(b.queueCfg)
	base, abandon := context.WithCancel(context.Background()) // cancelled only past the drain
	workers := q.serve(func(j job) {
		b.obs.QueueDepth(q.depth()) // one fewer waiting: the gauge follows the queue down too
		b.work(base, j)
	})
	defer b.drain(q, workers, abandon)
	defer stop()

	runErr := make(chan error, 1)
	b.background.Go(func() { runErr <- client.RunContext(ctx) })
	beat := time.NewTicker(HeartbeatInterval)
	defer beat.Stop()

	for {
		select {
		case <-beat.C:
			b.obs.Heartbeat()
		case <-ctx.Done():
			return nil
		case err := <-runErr:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("running socket mode: %w", err)
		case evt := <-client.Events:
			b.dispatch(client, q, evt)
		}
	}
}

// dispatch acks one event and queues its work. It must never block: slack-go's
// event channel has to be drained continuously.
func (b *Server) dispatch(client *socketmode.Client, q *workQueue, evt socketmode.Event) {
	arrived := b.now()
	b.obs.EnvelopeReceived(string(evt.Type))
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		b.ack(client, evt.Request, nil, arrived)
		if !ok {
			return
		}
		req := RequestFromCommand(cmd, evt.Request.EnvelopeID, arrived)
		b.enqueue(q, req, func(ctx context.Context) { b.h.Command(ctx, req, cmd.Text) })

	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			b.ack(client, evt.Request, nil, arrived)
			return
		}
		b.dispatchInteraction(client, q, evt.Request, cb, arrived)

	case socketmode.EventTypeEventsAPI:
		b.ack(client, evt.Request, nil, arrived)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			if req := homeRequest(ev, evt.Request.EnvelopeID, arrived); req != nil {
				b.enqueue(q, req, func(ctx context.Context) { b.h.HomeOpened(ctx, req) })
			}
		}

	case socketmode.EventTypeConnectionError:
		b.obs.Connected(false)
		b.log.Warn("socket mode connection error", zap.Any("detail", evt.Data))
	case socketmode.EventTypeConnecting:
		b.obs.Connected(false)
	case socketmode.EventTypeConnected:
		b.obs.Connected(true)
		b.log.Info("connected to Slack")
	case socketmode.EventTypeInvalidAuth:
		b.obs.Connected(false)
		b.log.Error("Slack refused the app token (invalid_auth)")
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			b.ack(client, evt.Request, nil, arrived)
		}
	}
}

// dispatchInteraction acks and queues a click or a modal submission.
func (b *Server) dispatchInteraction(client *socketmode.Client, q *workQueue, r *socketmode.Request, cb slack.InteractionCallback, arrived time.Time) {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		b.ack(client, r, nil, arrived)
		act, ok := FirstBlockAction(cb)
		if !ok {
			return
		}
		req := RequestFromAction(cb, act, r.EnvelopeID, arrived)
		b.offer(q, job{req: req, run: func(ctx context.Context) { b.h.Click(ctx, req, act) }, decisive: decisive(act.ActionID)})
	case slack.InteractionTypeViewSubmission:
		// Validation errors travel in the ack, so this check runs before acking.
		sub, problems := ReadSubmission(b.h, cb)
		if len(problems) > 0 {
			b.ack(client, r, slack.NewErrorsViewSubmissionResponse(problems), arrived)
			return
		}
		b.ack(client, r, nil, arrived)
		req := RequestFromSubmission(cb, r.EnvelopeID, arrived)
		b.enqueue(q, req, func(ctx context.Context) { b.h.Submission(ctx, req, sub) })
	default:
		b.ack(client, r, nil, arrived)
	}
}

// ackTimeout bounds how long queuing one ack may take.
const ackTimeout = 2 * time.Second

// ack answers an envelope. An ack that cannot be queued is logged: Slack will show
// the user an error, and there is nothing else to do.
func (b *Server) ack(client *socketmode.Client, r *socketmode.Request, payload any, arrived time.Time) {
	if r == nil {
		return
	}
	// Past Slack's 3 s deadline an ack is useless, and waiting longer would stall the
	// event loop (the send queue can fill while the socket reconnects).
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	if err := client.AckCtx(ctx, r.EnvelopeID, payload); err != nil {
		b.log.Error("acking envelope", zap.String("envelope_id", r.EnvelopeID), zap.Error(err))
		return
	}
	b.obs.Acked(b.now().Sub(arrived))
}

// enqueue offers work to the queue.
func (b *Server) enqueue(q *workQueue, req *Request, fn func(context.Context)) {
	b.offer(q, job{req: req, run: fn})
}

// offer queues j. A person over their rate waits in their own queue and is
// answered late; one beyond that queue, or a full queue, is told so instead of
// waiting behind work that may never come.
func (b *Server) offer(q *workQueue, j job) {
	req := j.req
	res, tell := q.offer(j)
	b.obs.QueueDepth(q.depth())
	var text string
	switch res {
	case admitted, delayed:
		return
	case throttled:
		b.obs.Turned("rate")
		text = fmt.Sprintf("You have %d requests waiting their turn, so this one was dropped. Wait a few seconds and try again.", b.queueCfg.perUser)
		if j.decisive {
			text = fmt.Sprintf("You have %d requests waiting their turn, so this click was not taken: nothing was done. Wait a few seconds and click again.", b.queueCfg.perUser)
		}
	case full:
		b.obs.Turned("busy")
		text = "The bot is busy right now, so this request was dropped. Please try again in a minute."
	}
	b.log.Warn("interaction turned away", zap.String("slack_user_id", req.Actor.UserID),
		zap.String("envelope_id", req.EnvelopeID), zap.Bool("busy", res == full))
	if tell {
		b.background.Go(func() { b.answer(req, views.Notice(text)) })
	}
}

// dropQueued answers a request that waited in its person's queue when the
// bot stopped taking work: it never ran, and the person is told so.
func (b *Server) dropQueued(j job) {
	b.log.Warn("queued interaction dropped at shutdown", zap.String("slack_user_id", j.req.Actor.UserID),
		zap.String("envelope_id", j.req.EnvelopeID))
	b.background.Go(func() {
		b.answer(j.req, views.Notice("The bot was restarting before it got to this request, so nothing was done. Please try again."))
	})
}

// decisive reports whether a click carries out a decision — confirm, approve
// or reject, start or cancel a job — which is never dropped silently.
func decisive(actionID string) bool {
	switch actionID {
	case views.ActionIDConfirmYes, views.ActionIDBulkConfirm, views.ActionIDBulkCancel,
		views.ActionIDApprovalApprove, views.ActionIDApprovalReject:
		return true
	}
	return false
}

// work runs one job with a deadline counted from the envelope's arrival, turning
// a panic into an "internal error (ref X)" answer and a full log line instead of
// a crashed bot. Shutdown does not cancel it before ShutdownTimeout (base ends
// only then): an action is not cut between its audit intent and Cognito while
// the pod's grace period lasts.
func (b *Server) work(base context.Context, j job) {
	b.inflight.Add(1)
	defer b.inflight.Add(-1)
	// A request that waited its turn in its person's queue gets its whole
	// time from when it was handed on.
	ctx, cancel := context.WithDeadline(base, later(j.req.Arrived, j.released).Add(b.timeout))
	defer cancel()
	defer RecoverPanic(b.log, j.req, "handling envelope", b.answer)
	if ctx.Err() != nil {
		b.log.Warn("envelope waited past its deadline; dropped", zap.String("envelope_id", j.req.EnvelopeID))
		b.background.Go(func() {
			b.answer(j.req, views.Notice("The bot was too busy to get to this request in time, so nothing was done. Please try again."))
		})
		return
	}
	j.run(ctx)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// ReadSubmission reads a submitted modal with h's ReadForm, keeping the
// view's ids beside what it read.
func ReadSubmission(h Handler, cb slack.InteractionCallback) (Submission, map[string]string) {
	form, problems := h.ReadForm(&cb.View)
	return Submission{CallbackID: cb.View.CallbackID, Meta: cb.View.PrivateMetadata, Form: form}, problems
}

// answer tells req's person something through the handler, whatever became
// of req's own context.
func (b *Server) answer(req *Request, m views.Message) { b.h.Answer(req, m) }
