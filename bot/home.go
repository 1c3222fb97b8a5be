package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// maxHomeRecent is how many of their audit entries the Home tab shows.
const maxHomeRecent = 10

// homeRequest is the request of someone opening the app's Home tab
// (app_home_opened), which is rebuilt each time; nil for any other event,
// which is acknowledged and ignored.
func homeRequest(ev slackevents.EventsAPIEvent, envelopeID string, req func(user, team string) *request) *request {
	opened, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || opened.Tab != "home" || opened.User == "" {
		return nil
	}
	r := req(opened.User, firstNonEmpty(ev.EnterpriseID, ev.TeamID))
	r.EnvelopeID, r.Ref = envelopeID, "home#"+envelopeID
	return r
}

// publishHome builds the viewer's Home tab and publishes it. Reading what it
// shows (the state table and their own audit entries) is one audited step,
// authorized like help: everyone admitted may see their own desk.
func (b *Bot) publishHome(ctx context.Context, req *request) {
	var v deskview.HomeView
	out := b.pipe.Do(ctx, req.pipe(), pipeline.Step{
		AuditID: "home#" + hashKey(req.Ref), Action: actions.Help, Params: map[string]string{"view": "home"},
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
		v = deskview.HomeView{Unavailable: b.userMessage(out.Err, req, "home")}
	}
	if _, err := b.slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: req.Actor.UserID, View: deskview.Home(v)}); err != nil {
		b.log.Warn("publishing the Home tab", zap.String("slack_user_id", req.Actor.UserID), zap.Error(err))
	}
}

// homeView gathers what the viewer's Home tab shows.
func (b *Bot) homeView(ctx context.Context, req *request, s pipeline.Services) (deskview.HomeView, error) {
	var v deskview.HomeView
	me := pipeline.PolicyActor(req.Actor)
	waiting, err := b.state.WaitingPending(ctx, 100)
	if err != nil {
		return v, fmt.Errorf("%w: %w", errStateUnavailable, err)
	}
	now := b.now()
	for _, p := range waiting {
		if !now.Before(p.ExpiresAt) {
			continue
		}
		pool, _ := b.pendingPool(p)
		if pipeline.SameActor(p.Requester, req.Actor) {
			v.Requests = append(v.Requests, deskview.HomeRequestView{Action: string(homeAction(p)), Username: p.Target.Username,
				Pool: pool.Name, Approval: p.Kind == kindApproval, Expires: p.ExpiresAt})
			continue
		}
		// Asked as the approval click is (pendingStep says what a job's is).
		requester := pipeline.PolicyActor(p.Requester)
		review := *pendingStep(p, "review").Policy
		review.Stage, review.Requester, review.Pool = policy.Review, &requester, pool.Name
		review.Action = cmp.Or(review.Action, actions.Action(p.Action))
		if p.Kind == kindApproval && b.policy.Decide(ctx, me, review).Allowed() {
			v.Approvals = append(v.Approvals, b.approvalViewOf(p, pool))
		}
	}
	scheduled, err := b.state.WaitingSchedules(ctx, maxScheduledListed)
	if err != nil {
		return v, fmt.Errorf("%w: %w", errStateUnavailable, err)
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
	if isJobApproval(p) {
		return actions.Bulk
	}
	return actions.Action(p.Action)
}
