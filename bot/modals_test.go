package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/commands"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// A submission is read before the ack: a problem is given back for the
// modal to show in place, and a form of a callback id the bot never opened
// closes and is then refused with a sentence, through the same path Slack's
// envelopes take.
func TestSubmissionsAreReadBeforeTheAck(t *testing.T) {
	rec := &recordingSlack{}
	b := &Bot{Commands: &commands.Commands{OneUser: &usercmd.OneUser{Jobs: &jobs.Jobs{Flows: &flows.Flows{Desk: &desk.Desk{Slack: rec, Log: zap.NewNop(), Now: time.Now}}}}}} // no state store: touching it would panic

	var reason slack.InteractionCallback
	reason.View = slack.View{CallbackID: views.ReasonCallbackID, PrivateMetadata: "sess-1",
		State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{views.ReasonBlockID: {views.ReasonActionID: {Value: "  "}}}}}
	sub, problems := transport.ReadSubmission(handler{b}, reason)
	if problems[views.ReasonBlockID] != "Please give a reason." || sub.Meta != "sess-1" {
		t.Fatalf("an empty reason: problems %q, submission %+v", problems, sub)
	}

	var unknown slack.InteractionCallback
	unknown.View = slack.View{CallbackID: "someone_elses_form", PrivateMetadata: "x"}
	sub, problems = transport.ReadSubmission(handler{b}, unknown)
	if len(problems) != 0 || sub.Resume != nil {
		t.Fatalf("an unknown form: problems %q, resume set %v; want it closed with nothing to resume", problems, sub.Resume != nil)
	}
	b.handleSubmission(context.Background(), &request{ResponseURL: "https://hooks.slack.example/1"}, sub)
	if len(rec.posts) != 1 || !strings.Contains(rec.posts[0], "not one of this bot's") {
		t.Fatalf("answers %q; want one refusal", rec.posts)
	}
}
