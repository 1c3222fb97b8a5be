package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// The bot decides nothing about authorization itself: it gathers what the
// policy needs (the target's groups, a job's size, the requester's recent
// bulk volume), asks, and obeys.

// Ask asks the policy what the request needs before it runs, as req's actor
// in req's channel.
func (b *Flows) Ask(ctx context.Context, req *transport.Request, r policy.Request) policy.Decision {
	r.Stage, r.Channel = policy.Ask, req.Channel
	return b.Policy.Decide(ctx, pipeline.PolicyActor(req.Actor), r)
}

// RefuseAsked records a request the policy denied when asked (an audited
// denial under the step's id) and tells the person why; nothing was done.
func (b *Flows) RefuseAsked(ctx context.Context, req *transport.Request, s pipeline.Step, d policy.Decision) {
	s.Phase = PhaseCheck
	b.Pipe.Refuse(ctx, req.Pipe(), s, d.Reason)
	b.Reply(ctx, req, views.Notice(nothingDone(d.Reason)), desk.ReplyEphemeral)
}

// nothingDone is the answer to a refused request: the policy's sentence,
// saying that nothing was done.
func nothingDone(reason string) string {
	if strings.Contains(reason, "Nothing was done") {
		return reason
	}
	return "Not allowed: " + reason + ". Nothing was done."
}

// AddedGroups is the groups a single-user action puts its user into.
func AddedGroups(a actions.Action, args map[string]string) []string {
	if a == actions.AddToGroup && args["group"] != "" {
		return []string{args["group"]}
	}
	return nil
}

// Verifies reports whether an edit's args mark a contact verified.
func Verifies(a actions.Action, args map[string]string) bool {
	return a == actions.Edit && args[actions.EditVerified] != ""
}

// ExecuteCheck is the policy's re-check of a request by requester, asked from
// channel, on the user as they are just before the operation: a request that
// was not approved must not have come to need approval (the user joined a
// protected group, a rule was added since). The requester's user groups are
// looked up now, before the step, so the check inside the operation waits on
// nothing between reading the user and acting.
func (b *Flows) ExecuteCheck(ctx context.Context, requester audit.Actor, channel, pool string, a actions.Action, args map[string]string, approved bool) func(context.Context, *cognito.User) string {
	who := b.Policy.Resolve(ctx, pipeline.PolicyActor(requester))
	return func(ctx context.Context, u *cognito.User) string {
		d := b.Policy.Decide(ctx, who, policy.Request{
			Stage: policy.Run, Action: a, Channel: channel, Pool: pool, TargetGroups: slices.Clone(u.Groups),
			AddGroups: AddedGroups(a, args), Verified: Verifies(a, args), Execute: true, Approved: approved,
		})
		if d.Allowed() {
			return ""
		}
		return d.Reason
	}
}

// JobGuard prepares, once per turn of a job, the policy's word on each of its
// targets as they are now: a protected group's member is left alone, and a
// job that was not approved cannot act once its action needs approval. The
// requester's user groups are looked up here, outside any operation.
func (b *Flows) JobGuard(ctx context.Context, j audit.Job) func(cognito.User) string {
	who := b.Policy.Resolve(ctx, pipeline.PolicyActor(j.Requester))
	return func(u cognito.User) string {
		d := b.Policy.Decide(context.WithoutCancel(ctx), who, policy.Request{
			Stage: policy.Run, Action: actions.Action(j.Action), Channel: j.Channel, Pool: j.Pool, TargetGroups: slices.Clone(u.Groups),
			AddGroups: AddedGroups(actions.Action(j.Action), j.Args), Job: &policy.Job{Target: true}, Execute: true,
			Approved: bulk.ApprovalID(j) != "",
		})
		if d.Allowed() {
			return ""
		}
		return d.Reason
	}
}

// AskJob asks the policy about a bulk job of action on run users by req's
// actor, with their recent unapproved volume read from the state store.
func (b *Flows) AskJob(ctx context.Context, req *transport.Request, action actions.Action, pool string, args map[string]string, addGroups []string, run int, reason string) (policy.Decision, error) {
	recent, err := b.recentVolume(ctx, req.Actor)
	if err != nil {
		return policy.Decision{}, err
	}
	return b.Ask(ctx, req, policy.Request{Action: action, Pool: pool, AddGroups: append(AddedGroups(action, args), addGroups...),
		Job: &policy.Job{Targets: run, Recent: recent}, HasReason: reason != ""}), nil
}

// recentVolume is how many users who's jobs that started without approval
// acted on within bulk.window.
func (b *Flows) recentVolume(ctx context.Context, who audit.Actor) (int, error) {
	v, err := b.JobStore.BulkVolume(ctx, who, b.Now(), b.Cfg.Bulk.Window.Std())
	return v.Total(), err
}

// maxVolumeTries bounds how often a confirm reads the volume again after
// another job of the same requester was counted first.
const maxVolumeTries = 5

// StartUnapproved counts a job that starts without approval in its
// requester's volume, as the policy decided with the volume read then; when
// another of their jobs was counted since, it reads and asks again. It
// returns the decision that holds: Confirm when the job was counted (start
// it), else what it must do instead (ask approval, or refuse).
func (b *Flows) StartUnapproved(ctx context.Context, req *transport.Request, j audit.Job) (policy.Decision, error) {
	window := b.Cfg.Bulk.Window.Std()
	for range maxVolumeTries {
		v, err := b.JobStore.BulkVolume(ctx, j.Requester, b.Now(), window)
		if err != nil {
			return policy.Decision{}, err
		}
		d := b.Ask(ctx, req, policy.Request{Action: actions.Action(j.Action), Pool: j.Pool, AddGroups: AddedGroups(actions.Action(j.Action), j.Args),
			Job: &policy.Job{Targets: j.ToRun, Recent: v.Total()}, HasReason: j.Reason != ""})
		if d.Verdict != policy.Confirm || d.NeedReason {
			return d, nil
		}
		err = b.JobStore.AddBulkVolume(ctx, j.Requester, v, window, j.ToRun)
		if !errors.Is(err, audit.ErrConflict) {
			return d, err
		}
	}
	return policy.Decision{}, fmt.Errorf("counting the job in your recent bulk volume: %w", audit.ErrConflict)
}
