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
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
)

// Run connects through client and serves until ctx ends or Slack refuses the
// credentials. Every envelope is acked at once; its work is queued for a bounded
// set of workers, with a deadline counted from its arrival and panic recovery.
// When the event loop ends, stop is called first (so the caller's loops, which
// run under ctx, stop before the drain), then Run waits for queued and
// in-flight work, so a graceful shutdown never cuts an action between audit
// and Cognito, and it returns only once every goroutine it started has ended.
func (s *Server) Run(ctx context.Context, client *socketmode.Client, stop context.CancelFunc) error {
	// Deferred calls run last first: stop the loops, drain the workers, then
	// wait for the socket and any background reply.
	defer s.background.Wait()
	q := newWorkQueue(s.queueCfg)
	base, abandon := context.WithCancel(context.Background()) // cancelled only past the drain
	workers := q.serve(func(j job) {
		s.obs.QueueDepth(q.depth()) // one fewer waiting: the gauge follows the queue down too
		s.work(base, j)
	})
	defer s.drain(q, workers, abandon)
	defer stop()

	runErr := make(chan error, 1)
	s.background.Go(func() { runErr <- client.RunContext(ctx) })
	beat := time.NewTicker(HeartbeatInterval)
	defer beat.Stop()

	for {
		select {
		case <-beat.C:
			s.obs.Heartbeat()
		case <-ctx.Done():
			return nil
		case err := <-runErr:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("running socket mode: %w", err)
		case evt := <-client.Events:
			s.dispatch(client, q, evt)
		}
	}
}

// dispatch acks one event and queues its work. It must never block: slack-go's
// event channel has to be drained continuously.
func (s *Server) dispatch(client *socketmode.Client, q *workQueue, evt socketmode.Event) {
	arrived := s.now()
	s.obs.EnvelopeReceived(string(evt.Type))
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		s.ack(client, evt.Request, nil, arrived)
		if !ok {
			return
		}
		req := RequestFromCommand(cmd, evt.Request.EnvelopeID, arrived)
		s.enqueue(q, req, func(ctx context.Context) { s.h.Command(ctx, req, cmd.Text) })

	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			s.ack(client, evt.Request, nil, arrived)
			return
		}
		s.dispatchInteraction(client, q, evt.Request, cb, arrived)

	case socketmode.EventTypeEventsAPI:
		s.ack(client, evt.Request, nil, arrived)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			if req := homeRequest(ev, evt.Request.EnvelopeID, arrived); req != nil {
				s.enqueue(q, req, func(ctx context.Context) { s.h.HomeOpened(ctx, req) })
			}
		}

	case socketmode.EventTypeConnectionError:
		s.obs.Connected(false)
		s.log.Warn("socket mode connection error", zap.Any("detail", evt.Data))
	case socketmode.EventTypeConnecting:
		s.obs.Connected(false)
	case socketmode.EventTypeConnected:
		s.obs.Connected(true)
		s.log.Info("connected to Slack")
	case socketmode.EventTypeInvalidAuth:
		s.obs.Connected(false)
		s.log.Error("Slack refused the app token (invalid_auth)")
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			s.ack(client, evt.Request, nil, arrived)
		}
	}
}

// dispatchInteraction acks and queues a click or a modal submission.
func (s *Server) dispatchInteraction(client *socketmode.Client, q *workQueue, r *socketmode.Request, cb slack.InteractionCallback, arrived time.Time) {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		s.ack(client, r, nil, arrived)
		act, ok := FirstBlockAction(cb)
		if !ok {
			return
		}
		req := RequestFromAction(cb, act, r.EnvelopeID, arrived)
		s.offer(q, job{req: req, run: func(ctx context.Context) { s.h.Click(ctx, req, act) }, decisive: decisive(act.ActionID)})
	case slack.InteractionTypeViewSubmission:
		// Validation errors travel in the ack, so this check runs before acking.
		sub, problems := ReadSubmission(s.h, cb)
		if len(problems) > 0 {
			s.ack(client, r, slack.NewErrorsViewSubmissionResponse(problems), arrived)
			return
		}
		s.ack(client, r, nil, arrived)
		req := RequestFromSubmission(cb, r.EnvelopeID, arrived)
		s.enqueue(q, req, func(ctx context.Context) { s.h.Submission(ctx, req, sub) })
	default:
		s.ack(client, r, nil, arrived)
	}
}

// ackTimeout bounds how long queuing one ack may take.
const ackTimeout = 2 * time.Second

// ack answers an envelope. An ack that cannot be queued is logged: Slack will show
// the user an error, and there is nothing else to do.
func (s *Server) ack(client *socketmode.Client, r *socketmode.Request, payload any, arrived time.Time) {
	if r == nil {
		return
	}
	// Past Slack's 3 s deadline an ack is useless, and waiting longer would stall the
	// event loop (the send queue can fill while the socket reconnects).
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	if err := client.AckCtx(ctx, r.EnvelopeID, payload); err != nil {
		s.log.Error("acking envelope", zap.String("envelope_id", r.EnvelopeID), zap.Error(err))
		return
	}
	s.obs.Acked(s.now().Sub(arrived))
}

// enqueue offers work to the queue.
func (s *Server) enqueue(q *workQueue, req *Request, fn func(context.Context)) {
	s.offer(q, job{req: req, run: fn})
}

// offer queues j. A person over their rate waits in their own queue and is
// answered late; one beyond that queue, or a full queue, is told so instead of
// waiting behind work that may never come.
func (s *Server) offer(q *workQueue, j job) {
	req := j.req
	res, tell := q.offer(j)
	s.obs.QueueDepth(q.depth())
	var text string
	switch res {
	case admitted, delayed:
		return
	case throttled:
		s.obs.Turned("rate")
		text = fmt.Sprintf("You have %d requests waiting their turn, so this one was dropped. Wait a few seconds and try again.", s.queueCfg.perUser)
		if j.decisive {
			text = fmt.Sprintf("You have %d requests waiting their turn, so this click was not taken: nothing was done. Wait a few seconds and click again.", s.queueCfg.perUser)
		}
	case full:
		s.obs.Turned("busy")
		text = "The bot is busy right now, so this request was dropped. Please try again in a minute."
	}
	s.log.Warn("interaction turned away", zap.String("slack_user_id", req.Actor.UserID),
		zap.String("envelope_id", req.EnvelopeID), zap.Bool("busy", res == full))
	if tell {
		s.background.Go(func() { s.answer(req, views.Notice(text)) })
	}
}

// dropQueued answers a request that waited in its person's queue when the
// bot stopped taking work: it never ran, and the person is told so.
func (s *Server) dropQueued(j job) {
	s.log.Warn("queued interaction dropped at shutdown", zap.String("slack_user_id", j.req.Actor.UserID),
		zap.String("envelope_id", j.req.EnvelopeID))
	s.background.Go(func() {
		s.answer(j.req, views.Notice("The bot was restarting before it got to this request, so nothing was done. Please try again."))
	})
}

// decisive reports whether a click carries out a decision — confirm, approve
// or reject, start or cancel a job — which is never dropped silently.
func decisive(actionID string) bool {
	switch actionID {
	case views.ActionIDConfirmYes, bulkview.ActionIDBulkConfirm, bulkview.ActionIDBulkCancel,
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
func (s *Server) work(base context.Context, j job) {
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	// A request that waited its turn in its person's queue gets its whole
	// time from when it was handed on.
	ctx, cancel := context.WithDeadline(base, later(j.req.Arrived, j.released).Add(s.timeout))
	defer cancel()
	defer RecoverPanic(s.log, j.req, "handling envelope", s.answer)
	if ctx.Err() != nil {
		s.log.Warn("envelope waited past its deadline; dropped", zap.String("envelope_id", j.req.EnvelopeID))
		s.background.Go(func() {
			s.answer(j.req, views.Notice("The bot was too busy to get to this request in time, so nothing was done. Please try again."))
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
	resume, problems := h.ReadForm(&cb.View)
	return Submission{CallbackID: cb.View.CallbackID, Meta: cb.View.PrivateMetadata, Resume: resume}, problems
}

// answer tells req's person something through the handler, whatever became
// of req's own context.
func (s *Server) answer(req *Request, m views.Message) { s.h.Answer(req, m) }
