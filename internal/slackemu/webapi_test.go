package slackemu_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestBotTokenChecked(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	for token, want := range map[string]string{
		"xoxb-wrong":   "invalid_auth",
		"":             "not_authed",
		srv.AppToken(): "not_allowed_token_type",
		srv.BotToken(): "",
	} {
		api := slack.New(token, slack.OptionAPIURL(srv.APIURL()))
		if _, _, err := api.PostMessage("C1", slack.MsgOptionText("hi", false)); slackErr(err) != want {
			t.Errorf("chat.postMessage with %q = %v, want %q", token, err, want)
		}
		if _, err := api.AuthTest(); slackErr(err) != want {
			t.Errorf("auth.test with %q = %v, want %q", token, err, want)
		}
	}
	if n := len(srv.Messages(nil)); n != 1 {
		t.Errorf("%d messages stored, want only the authorized one", n)
	}
	calls := srv.Calls("chat.postMessage")
	if len(calls) != 4 || calls[0].Form.Get("channel") != "C1" {
		t.Errorf("recorded calls = %+v", calls)
	}
}

func TestDirectoryMethods(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	srv.AddUser("U1", "alice", "Alice Liddell")
	srv.SetUserGroup("S1", []string{"U1", "U2"})
	api := srv.SlackClient()

	u, err := api.GetUserInfo("U1")
	if err != nil || u.Name != "alice" || u.RealName != "Alice Liddell" || u.TeamID != srv.TeamID() {
		t.Errorf("users.info = %+v, %v", u, err)
	}
	if _, err := api.GetUserInfo("U404"); slackErr(err) != "user_not_found" {
		t.Errorf("users.info unknown = %v", err)
	}
	members, err := api.GetUserGroupMembers("S1")
	if err != nil || len(members) != 2 || members[1] != "U2" {
		t.Errorf("usergroups.users.list = %v, %v", members, err)
	}
	if _, err := api.GetUserGroupMembers("S404"); slackErr(err) != "no_such_subteam" {
		t.Errorf("usergroups.users.list unknown = %v", err)
	}
	at, err := api.AuthTest()
	if err != nil || at.UserID != srv.BotUserID() || at.TeamID != srv.TeamID() || at.BotID == "" {
		t.Errorf("auth.test = %+v, %v", at, err)
	}
}

func TestUnknownMethod(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	resp, err := http.PostForm(srv.APIURL()+"chat.frobnicate", url.Values{"token": {srv.BotToken()}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.OK || body.Error != "unknown_method" {
		t.Errorf("unknown method = %+v, %v", body, err)
	}
}

func TestRateLimitInjection(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	srv.RateLimit("chat.postMessage", 1, 2*time.Second)
	api := srv.SlackClient()
	_, _, err := api.PostMessage("C1", slack.MsgOptionText("hi", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("rate-limited post = %v", err)
	}
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("hi", false)); err != nil {
		t.Errorf("post after the injected 429 = %v", err)
	}
}

func TestInjectedFaultsLastTheirCount(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	srv.InjectFault("chat.postMessage", 2, slackemu.Fault{Error: "internal_error"})
	api := srv.SlackClient()
	for i := range 2 {
		if _, _, err := api.PostMessage("C1", slack.MsgOptionText("hi", false)); slackErr(err) != "internal_error" {
			t.Errorf("post %d = %v, want internal_error", i+1, err)
		}
	}
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("hi", false)); err != nil {
		t.Errorf("post after the two injected faults = %v", err)
	}
}
