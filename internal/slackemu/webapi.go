package slackemu

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
)

// Call is one Web API request as the emulator received it.
type Call struct {
	Method      string
	At          time.Time
	ContentType string
	// Form holds form-encoded parameters (including "token"); JSON the body
	// of JSON requests. One of them is empty.
	Form url.Values
	JSON json.RawMessage
	// Status is the HTTP status answered; Error the Slack error code ("" if ok).
	Status int
	Error  string
}

// Fault is an injected failure for a Web API method.
type Fault struct {
	// Error, with Status 0 or 200, answers {"ok":false,"error":Error}.
	Error string
	// Status answers that HTTP status instead; 429 adds Retry-After.
	Status     int
	RetryAfter time.Duration
}

// webState is the Web API half of the Server's state, guarded by Server.mu.
type webState struct {
	calls    []Call
	faults   map[string][]Fault
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
	s.faults = map[string][]Fault{}
	s.users = map[string]slack.User{}
	s.groups = map[string][]string{}
	s.dms = map[string]string{}
	s.channels = map[string]string{}
	s.initViews()
	s.initResponseURLs()
	s.initFiles()
}

// apiRequest is a parsed Web API request: form or JSON, same accessors.
type apiRequest struct {
	form url.Values
	body map[string]json.RawMessage
}

// str returns a string parameter from the form or the JSON body.
func (r *apiRequest) str(name string) string {
	if v, ok := r.form[name]; ok && len(v) > 0 {
		return v[0]
	}
	var out string
	if raw, ok := r.body[name]; ok && json.Unmarshal(raw, &out) != nil {
		return string(raw) // a number or bool sent unquoted
	}
	return out
}

// raw returns a JSON-valued parameter (e.g. blocks, view): JSON-encoded in a
// form field, or inline (or as a JSON string) in a JSON body.
func (r *apiRequest) raw(name string) json.RawMessage {
	if v, ok := r.form[name]; ok && len(v) > 0 {
		return json.RawMessage(v[0])
	}
	raw := r.body[name]
	var s string
	if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return json.RawMessage(s)
	}
	return raw
}

type apiResult struct {
	fields   map[string]any
	err      string
	messages []string
}

func okResult(fields map[string]any) apiResult { return apiResult{fields: fields} }

func failResult(code string, messages ...string) apiResult {
	return apiResult{err: code, messages: messages}
}

// refusal is the Web API answer to a surface blockkit refused.
func refusal(err error) apiResult {
	var e *blockkit.APIError
	if errors.As(err, &e) {
		return failResult(e.Code, e.Messages...)
	}
	return failResult("invalid_arguments", err.Error())
}

type method struct {
	appToken bool // needs the app-level token instead of the bot token
	fn       func(*Server, *apiRequest) apiResult
}

var methods = map[string]method{
	"apps.connections.open": {appToken: true, fn: func(s *Server, _ *apiRequest) apiResult {
		f, code := s.openConnection()
		if code != "" {
			return failResult(code)
		}
		return okResult(f)
	}},
	"auth.test":             {fn: (*Server).authTest},
	"chat.postMessage":      {fn: (*Server).chatPostMessage},
	"chat.postEphemeral":    {fn: (*Server).chatPostEphemeral},
	"chat.update":           {fn: (*Server).chatUpdate},
	"chat.delete":           {fn: (*Server).chatDelete},
	"users.info":            {fn: (*Server).usersInfo},
	"usergroups.users.list": {fn: (*Server).usergroupsUsersList},
	"conversations.open":    {fn: (*Server).conversationsOpen},
	"views.open":            {fn: (*Server).viewsOpen},
	"views.push":            {fn: (*Server).viewsPush},
	"views.update":          {fn: (*Server).viewsUpdate},
	"views.publish":         {fn: (*Server).viewsPublish},

	"files.getUploadURLExternal":   {fn: (*Server).filesGetUploadURLExternal},
	"files.completeUploadExternal": {fn: (*Server).filesCompleteUploadExternal},
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/api/")
	call := Call{Method: name, At: time.Now(), ContentType: r.Header.Get("Content-Type")}
	req := &apiRequest{form: url.Values{}}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	ctype, _, _ := mime.ParseMediaType(call.ContentType)
	if ctype == "application/json" {
		call.JSON = body
		if len(body) > 0 && json.Unmarshal(body, &req.body) != nil {
			s.answer(w, &call, http.StatusOK, failResult("invalid_json"))
			return
		}
	} else {
		req.form, _ = url.ParseQuery(string(body))
		for k, v := range r.URL.Query() {
			req.form[k] = append(req.form[k], v...)
		}
		call.Form = req.form
	}

	m, known := methods[name]
	if !known {
		s.answer(w, &call, http.StatusOK, failResult("unknown_method"))
		return
	}
	if f, ok := s.takeFault(name); ok {
		if f.Status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		}
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		s.answer(w, &call, status, failResult(cmpOr(f.Error, "ratelimited")))
		return
	}
	token := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer"))
	if token == "" && !m.appToken {
		token = req.form.Get("token")
	}
	if code := s.checkToken(token, m.appToken); code != "" {
		s.answer(w, &call, http.StatusOK, failResult(code))
		return
	}
	s.answer(w, &call, http.StatusOK, m.fn(s, req))
}

// checkToken answers like Slack: not_authed without a token, invalid_auth for
// an unknown one, not_allowed_token_type for the other kind of ours.
func (s *Server) checkToken(token string, wantApp bool) string {
	want, other := s.opts.BotToken, s.opts.AppToken
	if wantApp {
		want, other = other, want
	}
	switch token {
	case "":
		return "not_authed"
	case want:
		return ""
	case other:
		return "not_allowed_token_type"
	}
	return "invalid_auth"
}

func (s *Server) answer(w http.ResponseWriter, call *Call, status int, res apiResult) {
	out := map[string]any{"ok": res.err == ""}
	if res.err != "" {
		out["error"] = res.err
		if len(res.messages) > 0 {
			out["response_metadata"] = map[string]any{"messages": res.messages}
		}
	}
	for k, v := range res.fields {
		out[k] = v
	}
	call.Status, call.Error = status, res.err
	s.mu.Lock()
	s.calls = append(s.calls, *call)
	s.notifyLocked()
	s.mu.Unlock()
	if res.err != "" {
		s.logf("%s → %d %s %v", call.Method, status, res.err, res.messages)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(marshal(out))
}

// InjectFault makes the next `times` calls to method fail with f, before
// authentication is checked. Faults queue up per method.
func (s *Server) InjectFault(method string, times int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range times {
		s.faults[method] = append(s.faults[method], f)
	}
}

// RateLimit makes the next `times` calls to method answer HTTP 429 with
// Retry-After (whole seconds, rounded up), which slack-go surfaces as
// *slack.RateLimitedError.
func (s *Server) RateLimit(method string, times int, retryAfter time.Duration) {
	s.InjectFault(method, times, Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

func (s *Server) takeFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[method]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[method] = q[1:]
	return q[0], true
}

// Calls returns the recorded Web API calls to method ("" for all), in order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
