// Package exports is the export command's work: a CSV of a pool's users
// (filtered, with the columns and group memberships asked for) sent to the
// requester's direct messages. An export the policy allowed runs as a whole
// job on the bulk runner (lease, takeover, progress with Cancel, one per
// person in the deployment); one under an approval rule waits as a pending
// approval that an approver's Approve starts. It builds on jobs (Exports
// embeds *jobs.Jobs, as longjobs does); jobs reaches it only through
// jobs.ExportHooks, which bot.New sets.
package exports

import (
	"cmp"
	"context"
	"fmt"
	"sync"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// MaxRunning is how many exports run at once on one replica, one per person,
// when the state store keeps no jobs: an export of a large pool takes minutes,
// so it runs beside the workers and never holds one, and a few people's
// exports cannot take the replica's Cognito share and memory from everyone
// else.
const MaxRunning = 4

// Exports runs exports on top of the long-running work: as whole jobs on its
// bulk runner, or, when the state store keeps no jobs, beside the workers. It
// implements jobs.ExportHooks.
type Exports struct {
	*jobs.Jobs
	// slots holds a slot per export running beside the workers, and
	// exporting the people running one (see Start).
	slots     chan struct{}
	exporting sync.Map
	// reqs maps an export job started here to its command, answered when it
	// ends here; runs an export job running here to its exporter.
	reqs, runs sync.Map
}

// New returns the exports run on top of j, with their slots.
func New(j *jobs.Jobs) *Exports {
	return &Exports{Jobs: j, slots: make(chan struct{}, MaxRunning)}
}

// Start runs an export the policy allowed in the background, as a job
// (see startExportJob), after checking that the person has none running and
// the replica has room; otherwise it says so and starts nothing. The worker
// is free again at once.
func (b *Exports) Start(ctx context.Context, req *transport.Request, er Request, step pipeline.Step) error {
	if b.Runner != nil && b.JobStore != nil {
		return b.startExportJob(ctx, req, er)
	}
	// Without a state store that keeps jobs, the export runs here, beside
	// the workers, with no lease to hand over.
	who := req.Actor.TeamID + "/" + req.Actor.UserID
	if _, busy := b.exporting.LoadOrStore(who, struct{}{}); busy {
		b.Reply(ctx, req, views.Notice("You already have an export running; its CSV comes to your direct messages. Nothing new was started."), desk.ReplyEphemeral)
		return nil
	}
	select {
	case b.slots <- struct{}{}:
	default:
		b.exporting.Delete(who)
		b.Reply(ctx, req, views.Notice("Several exports are already running. Nothing was started; please try again in a few minutes."), desk.ReplyEphemeral)
		return nil
	}
	// The worker's context ends when this returns: the export gets its own,
	// bounded by exportTimeout and by the bot's life.
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exportTimeout)
	stop := context.AfterFunc(b.RunContext(), cancel)
	b.Background.Go(func() {
		defer cancel()
		defer stop()
		defer transport.RecoverPanic(b.Log, req, "an export", b.AnswerLater)
		var once sync.Once
		release := func() { once.Do(func() { <-b.slots; b.exporting.Delete(who) }) }
		defer release() // also after a panic
		out, ok, users, err := b.runExport(ectx, req, er, step, req.Actor.UserID)
		release() // before answering: the person may start the next one at once
		switch {
		case !ok:
		case err != nil || out.Err != nil:
			b.AnswerLater(req, views.Notice(b.UserMessage(cmp.Or(err, out.Err), req, string(actions.Export))))
		default:
			b.Reply(ectx, req, views.Notice(fmt.Sprintf("Exported %d users of %s. The CSV is in your direct messages.", users, er.Pool.Name)), desk.ReplyEphemeral)
		}
	})
	return nil
}
