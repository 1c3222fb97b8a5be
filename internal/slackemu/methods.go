package slackemu

import (
	"errors"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/webapi"
)

// Call is one Web API request as the emulator received it.
type Call = webapi.Call

// Fault is an injected failure for a Web API method.
type Fault = webapi.Fault

// webState is the Web API half of the Server's state, guarded by Server.mu.
type webState struct {
	users    map[string]slack.User
	groups   map[string][]string
	dms      map[string]string // user or sorted user list → D…/G… channel
	channels map[string]string // channel ID → name, for payloads

	responseURLs  map[string]*responseURL // by URL path
	responsePosts []ResponsePost
	viewState
	fileState
}

func (s *Server) initWeb() {
	s.users = map[string]slack.User{}
	s.groups = map[string][]string{}
	s.dms = map[string]string{}
	s.channels = map[string]string{}
	s.initViews()
	s.initResponseURLs()
	s.initFiles()
}

// newAPI wires the Web API plumbing to the methods the emulator implements.
func (s *Server) newAPI() *webapi.API {
	m := func(fn func(*webapi.Request) webapi.Result) webapi.Method { return webapi.Method{Fn: fn} }
	return webapi.New(webapi.Config{
		BotToken: s.opts.BotToken, AppToken: s.opts.AppToken, Logf: s.logf,
		Lock: &s.mu, NotifyLocked: s.notifyLocked,
		Methods: map[string]webapi.Method{
			"apps.connections.open": {AppToken: true, Fn: s.appsConnectionsOpen},
			"auth.test":             m(s.authTest),
			"chat.postMessage":      m(s.chatPostMessage),
			"chat.postEphemeral":    m(s.chatPostEphemeral),
			"chat.update":           m(s.chatUpdate),
			"chat.delete":           m(s.chatDelete),
			"users.info":            m(s.usersInfo),
			"usergroups.users.list": m(s.usergroupsUsersList),
			"conversations.open":    m(s.conversationsOpen),
			"views.open":            m(s.viewsOpen),
			"views.push":            m(s.viewsPush),
			"views.update":          m(s.viewsUpdate),
			"views.publish":         m(s.viewsPublish),

			"files.getUploadURLExternal":   m(s.filesGetUploadURLExternal),
			"files.completeUploadExternal": m(s.filesCompleteUploadExternal),
		},
	})
}

// appsConnectionsOpen is apps.connections.open: a fresh socket URL.
func (s *Server) appsConnectionsOpen(*webapi.Request) webapi.Result {
	f, code := s.hub.OpenConnection(s.wsURL() + "/link/")
	if code != "" {
		return webapi.Fail(code)
	}
	return webapi.OK(f)
}

// refusal is the Web API answer to a surface blockkit refused.
func refusal(err error) webapi.Result {
	var e *blockkit.APIError
	if errors.As(err, &e) {
		return webapi.Fail(e.Code, e.Messages...)
	}
	return webapi.Fail("invalid_arguments", err.Error())
}

// InjectFault makes the next `times` calls to method fail with f, before
// authentication is checked. Faults queue up per method.
func (s *Server) InjectFault(method string, times int, f Fault) { s.api.InjectFault(method, times, f) }

// RateLimit makes the next `times` calls to method answer HTTP 429 with
// Retry-After (whole seconds, rounded up), which slack-go surfaces as
// *slack.RateLimitedError.
func (s *Server) RateLimit(method string, times int, retryAfter time.Duration) {
	s.api.RateLimit(method, times, retryAfter)
}

// Calls returns the recorded Web API calls to method ("" for all), in order.
func (s *Server) Calls(method string) []Call { return s.api.Calls(method) }
