package commands

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// maxHomeRecent is how many of their audit entries the Home tab shows.
const maxHomeRecent = 10

// PublishHome builds the viewer's Home tab and publishes it. Reading what it
// shows (the state table and their own audit entries) is one audited step,
// authorized like help: everyone admitted may see their own desk.
func (b *Commands) PublishHome(ctx context.Context, req *transport.Request) {
	var v deskview.HomeView
	out := b.Pipe.Do(ctx, req.Pipe(), pipeline.Step{
		AuditID: auditid.ForRequest(auditid.Home, req.Ref), Action: actions.Help, Params: map[string]string{"view": "home"},
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			var err error
			v, err = b.homeView(ctx, req, s)
			return pipeline.Result{Summary: "home tab"}, err
		},
	})
	switch {
	case out.Denied != "":
		v = deskview.HomeView{Unavailable: "Not allowed: " + out.Denied}
	case out.Duplicate:
		return
	case out.Err != nil:
		v = deskview.HomeView{Unavailable: b.UserMessage(out.Err, req, "home")}
	}
	if _, err := b.Slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: req.Actor.UserID, View: deskview.Home(v)}); err != nil {
		b.Log.Warn("publishing the Home tab", zap.String("slack_user_id", req.Actor.UserID), zap.Error(err))
	}
}

// homeView gathers what the viewer's Home tab shows.
func (b *Commands) homeView(ctx context.Context, req *transport.Request, s pipeline.Services) (deskview.HomeView, error) {
	var v deskview.HomeView
	me := pipeline.PolicyActor(req.Actor)
	waiting, err := b.State.WaitingPending(ctx, 100)
	if err != nil {
		return v, fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	now := b.Now()
	for _, p := range waiting {
		if !now.Before(p.ExpiresAt) {
			continue
		}
		pool, _ := b.PendingPool(p)
		if pipeline.SameActor(p.Requester, req.Actor) {
			v.Requests = append(v.Requests, deskview.HomeRequestView{Action: string(homeAction(p)), Username: p.Target.Username,
				Pool: pool.Name, Approval: p.Kind == flows.KindApproval, Expires: p.ExpiresAt})
			continue
		}
		// Asked as the approval click is (pendingStep says what a job's is).
		requester := pipeline.PolicyActor(p.Requester)
		review := *flows.PendingStep(p, "review").Policy
		review.Stage, review.Requester, review.Pool = policy.Review, &requester, pool.Name
		review.Action = cmp.Or(review.Action, actions.Action(p.Action))
		if p.Kind == flows.KindApproval && b.Policy.Decide(ctx, me, review).Allowed() {
			v.Approvals = append(v.Approvals, b.ApprovalViewOf(p, pool))
		}
	}
	scheduled, err := b.State.WaitingSchedules(ctx, maxScheduledListed)
	if err != nil {
		return v, fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	mine := slices.DeleteFunc(scheduled, func(sc audit.Scheduled) bool { return !pipeline.SameActor(sc.Requester, req.Actor) })
	v.Scheduled = b.scheduledViews(ctx, req, mine)
	entries, _, err := s.Log.ByActor(ctx, req.Actor.TeamID, req.Actor.UserID, maxHomeRecent+5, "")
	if err != nil {
		return v, err
	}
	for _, e := range entries {
		if e.Action == string(actions.Help) || len(v.Recent) == maxHomeRecent {
			continue
		}
		result := string(e.Outcome)
		if e.Decision == audit.Denied {
			result = "denied: " + e.DenyReason
		} else if e.Message != "" {
			result = e.Message
		}
		v.Recent = append(v.Recent, deskview.HomeEntryView{At: e.Time, Action: e.Action, Target: e.Target.Username, Result: result})
	}
	return v, nil
}

// homeAction is the action an approval is about, for the policy: a bulk
// job's approval is a bulk approval.
func homeAction(p audit.Pending) actions.Action {
	if flows.IsJobApproval(p) {
		return actions.Bulk
	}
	return actions.Action(p.Action)
}
