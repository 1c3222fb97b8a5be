package slackemu_test

import (
	"context"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestViewsPublishIsStrict(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	srv.AddUser("U1", "alice", "Alice")
	api := srv.SlackClient()
	ctx := context.Background()
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "hi", false, false), nil, nil)}}}

	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U404", View: home}); slackErr(err) != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}
	modal := home
	modal.Type = slack.VTModal
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: modal}); slackErr(err) != "invalid_arguments" {
		t.Errorf("a modal published as a Home tab: %v", err)
	}
	first, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home})
	if err != nil {
		t.Fatal(err)
	}
	stale := "stale"
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home, Hash: &stale}); slackErr(err) != "hash_conflict" {
		t.Errorf("a stale hash: %v", err)
	}
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home, Hash: &first.Hash}); err != nil {
		t.Errorf("the current hash: %v", err)
	}
	v, ok := srv.HomeView("U1")
	if !ok || v.Type != "home" || v.Updates != 1 || !strings.Contains(string(v.Blocks), "hi") {
		t.Errorf("HomeView = %+v, %v", v, ok)
	}
	if _, err := srv.ClickHome(ctx, "U1", "nope", ""); err == nil {
		t.Error("clicked a button the Home tab does not show")
	}
}
