package jobs

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones for --at, whatever the host or image carries

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// maxScheduleAhead is how far ahead an action may be scheduled.
const maxScheduleAhead = 90 * 24 * time.Hour

// AtArg is the arg under which a scheduled request keeps its time (RFC 3339,
// in the zone it was given in), so the confirm prompt and the approval card
// show it and the approved request becomes a schedule instead of running.
const AtArg = "at"

// atLayouts are the local forms --at accepts; RFC 3339 is always accepted.
var atLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05"}

// parseAt reads --at: an RFC 3339 time with its zone, or "YYYY-MM-DD HH:MM"
// optionally followed by an IANA zone name, else in zone(). zone is asked only
// when needed (it costs a users.info). The answer is a sentence for people.
func parseAt(value string, zone func() (*time.Location, string)) (time.Time, string) {
	value = strings.TrimSpace(value)
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return t, ""
	}
	local, zoneName := value, ""
	if i := strings.LastIndexByte(value, ' '); i > 0 {
		if last := value[i+1:]; strings.Contains(last, "/") || last == "UTC" {
			local, zoneName = strings.TrimSpace(value[:i]), last
		}
	}
	var loc *time.Location
	if zoneName != "" {
		l, err := time.LoadLocation(zoneName)
		if err != nil {
			return time.Time{}, fmt.Sprintf("%q is not a time zone I know; use an IANA name such as Europe/Berlin, or an RFC 3339 time such as 2026-12-11T17:00:00+01:00.", zoneName)
		}
		loc = l
	}
	for _, layout := range atLayouts {
		if loc == nil {
			if _, err := time.Parse(layout, local); err != nil {
				continue
			}
			var why string
			if loc, why = zone(); loc == nil {
				return time.Time{}, why
			}
		}
		if t, err := time.ParseInLocation(layout, local, loc); err == nil {
			return t, ""
		}
	}
	return time.Time{}, fmt.Sprintf("%q is not a time I can read; use \"YYYY-MM-DD HH:MM\" (your Slack time zone), add a zone such as \"2026-12-11 17:00 Europe/Berlin\", or an RFC 3339 time such as 2026-12-11T17:00:00+01:00.", value)
}

// checkAt says why t cannot be scheduled at now: it must be in the future and
// within 90 days.
func checkAt(t, now time.Time) string {
	switch {
	case !t.After(now):
		return "That time (" + t.Format("2006-01-02 15:04 MST") + ") is not in the future."
	case t.Sub(now) > maxScheduleAhead:
		return "That time is more than 90 days ahead; schedule it closer to the date."
	}
	return ""
}

// requesterZone is the requester's Slack time zone (users.info), or why not.
func (b *Jobs) requesterZone(ctx context.Context, userID string) (*time.Location, string) {
	const ask = " Give the zone: --at \"2026-12-11 17:00 Europe/Berlin\", or an RFC 3339 time."
	u, err := b.Slack.GetUserInfoContext(ctx, userID)
	if err != nil || u == nil || u.TZ == "" {
		return nil, "I couldn't read your Slack time zone." + ask
	}
	loc, err := time.LoadLocation(u.TZ)
	if err != nil {
		return nil, "Your Slack time zone " + u.TZ + " is not one I know." + ask
	}
	return loc, ""
}

// ResolveAt handles --at of a schedulable action: the time is read in the
// requester's zone (unless given) and must be ahead; it is kept as the
// request's at arg. Bad input is refused with a sentence and audited; done is
// then true and nothing else happens.
func (b *Jobs) ResolveAt(ctx context.Context, req *transport.Request, ar *flows.ActionRequest, value string) (done bool) {
	if value == "" {
		return false
	}
	t, why := parseAt(value, func() (*time.Location, string) { return b.requesterZone(ctx, req.Actor.UserID) })
	if why == "" {
		why = checkAt(t, b.Now())
	}
	if why != "" {
		b.Pipe.Refuse(ctx, req.Pipe(), pipeline.Step{AuditID: auditid.ForRequest(auditid.At, req.Ref), Action: ar.Spec.Action, Pool: ar.Pool.Name,
			Target: ar.Target.AuditTarget(ar.Pool), Phase: "schedule", Params: map[string]string{"at": value}}, "bad time: "+why)
		b.Reply(ctx, req, views.Notice("Nothing was scheduled: "+why), desk.ReplyEphemeral)
		return true
	}
	if ar.Args == nil {
		ar.Args = map[string]string{}
	}
	ar.Args[AtArg] = t.Format(time.RFC3339)
	return false
}

// scheduleOp is the work of a confirmed or approved request with --at: check
// the user is still the one asked about and the time still ahead, then store
// the schedule the scheduler runs when due. Nil when the request has no at.
func (b *Jobs) scheduleOp(spec actions.Spec, p audit.Pending, pool config.Pool, decider audit.Actor, snapshot *audit.TargetSnapshot, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	args := flows.ArgsOf(p.Params)
	at, err := time.Parse(time.RFC3339, args[AtArg])
	if args[AtArg] == "" || err != nil {
		return nil
	}
	delete(args, AtArg)
	// The user is re-read and checked as for running it now; the only
	// "operation" then is checking that the time is still ahead.
	check := spec
	check.Op = func(actions.UserOps, context.Context, string, string, map[string]string) (cognito.Result, error) {
		if why := checkAt(at, b.Now()); why != "" {
			return cognito.Result{}, &desk.TargetChangedError{Detail: "the requested time passed before the request was decided. " + why}
		}
		return cognito.Result{}, nil
	}
	run := flows.ExecOp(check, pool, desk.Identity{Username: p.Target.Username, Sub: p.Target.Sub}, args, snapshot, stillAllowed)
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		res, err := run(ctx, s)
		if err != nil {
			return res, err
		}
		sc := audit.Scheduled{Kind: audit.ScheduleAction, Action: p.Action, Target: *res.Resolved, PoolName: pool.Name,
			Args: maps.Clone(args), Reason: p.Reason, Requester: p.Requester, Channel: p.Channel, RunAt: at,
			RequestID: pipeline.IntentID(ctx)}
		if p.Kind == flows.KindApproval {
			sc.ApprovedBy, sc.ApprovalID = decider, p.ID
		}
		if sc, err = b.State.CreateSchedule(ctx, sc); err != nil {
			return pipeline.Result{}, fmt.Errorf("storing the schedule, so nothing was scheduled: %w: %w", desk.ErrStateUnavailable, err)
		}
		when := at.Format("Mon 2006-01-02 15:04 MST")
		return pipeline.Result{Summary: "Scheduled " + string(p.Action) + " of " + p.Target.Username + " for " + when, Resolved: res.Resolved,
			Done: "scheduled to " + spec.Verb,
			Note: "It runs " + when + " as the requester, if they still may then; `scheduled` lists it with Cancel."}, nil
	}
}

// ValueFlagsOf are the --name VALUE flags a single-user action takes besides --pool.
func ValueFlagsOf(spec actions.Spec) []string {
	if spec.Schedulable {
		return []string{"reason", AtArg}
	}
	return []string{"reason"}
}

// FinalOp is the operation a confirmed or approved request runs: op as it
// is, or the one deferredOp puts in its place; a break-glass run then tells
// the approvers what it did.
func (b *Jobs) FinalOp(op func(context.Context, pipeline.Services) (pipeline.Result, error), spec actions.Spec, p audit.Pending, pool config.Pool, decider audit.Actor, snapshot *audit.TargetSnapshot, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	if d := b.deferredOp(spec, p, pool, decider, snapshot, stillAllowed); d != nil {
		op = d
	}
	if !flows.IsBreakGlass(p) {
		return op
	}
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		res, err := op(ctx, s)
		b.AnnounceBreakGlass(context.WithoutCancel(ctx), p, pool, res, err)
		return res, err
	}
}

// deferredOp replaces the operation of a confirmed or approved request that
// does not act at once: one with --at becomes a schedule, a delete waits out
// the undo window; an undo (no table operation) calls a deletion off. Nil:
// run the action as it is.
func (b *Jobs) deferredOp(spec actions.Spec, p audit.Pending, pool config.Pool, decider audit.Actor, snapshot *audit.TargetSnapshot, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	if op := b.approvedUndoOp(spec, p, pool, decider, stillAllowed); op != nil {
		return op
	}
	if op := b.scheduleOp(spec, p, pool, decider, snapshot, stillAllowed); op != nil {
		return op
	}
	return b.undoableDeleteOp(spec, p, pool, decider, snapshot, stillAllowed)
}
