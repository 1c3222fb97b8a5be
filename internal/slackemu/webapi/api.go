// Package webapi is the emulator's Slack Web API plumbing: it parses a
// request the way Slack accepts it (form-encoded or JSON, the same accessors
// for both), checks the token (bot token, or the app-level token for
// apps.connections.open), answers in Slack's envelope ({"ok":false,"error":…,
// "response_metadata":{"messages":[…]}}), records every call, and plays
// injected faults and rate limits before anything else.
//
// What each method does is the emulator's (package slackemu): it hands a
// table of methods to New. This package imports the standard library only.
package webapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
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

// Config wires an API into the emulator that owns it.
type Config struct {
	// BotToken and AppToken are the tokens the methods accept.
	BotToken, AppToken string
	// Methods are the Web API methods by name ("chat.postMessage").
	Methods map[string]Method
	// Logf receives one line per refused call.
	Logf func(format string, args ...any)
	// Lock is the emulator's lock; it guards the recorded calls and faults
	// too. NotifyLocked, called with it held, wakes the emulator's waiters.
	Lock         *sync.Mutex
	NotifyLocked func()
}

// API serves the Web API under /api/. Its methods are safe for concurrent use.
type API struct {
	cfg Config
	// Guarded by cfg.Lock.
	calls  []Call
	faults map[string][]Fault
}

// New returns an API answering cfg.Methods.
func New(cfg Config) *API { return &API{cfg: cfg, faults: map[string][]Fault{}} }

// Request is a parsed Web API request: form or JSON, same accessors.
type Request struct {
	form url.Values
	body map[string]json.RawMessage
}

// Str returns a string parameter from the form or the JSON body.
func (r *Request) Str(name string) string {
	if v, ok := r.form[name]; ok && len(v) > 0 {
		return v[0]
	}
	var out string
	if raw, ok := r.body[name]; ok && json.Unmarshal(raw, &out) != nil {
		return string(raw) // a number or bool sent unquoted
	}
	return out
}

// Raw returns a JSON-valued parameter (e.g. blocks, view): JSON-encoded in a
// form field, or inline (or as a JSON string) in a JSON body.
func (r *Request) Raw(name string) json.RawMessage {
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

// Result is a method's answer: the fields of a success, or Slack's error
// code with the messages it lists under response_metadata.
type Result struct {
	Fields   map[string]any
	Err      string
	Messages []string
}

// OK is a success with these fields besides "ok".
func OK(fields map[string]any) Result { return Result{Fields: fields} }

// Fail is a refusal with Slack's error code and messages.
func Fail(code string, messages ...string) Result {
	return Result{Err: code, Messages: messages}
}

// Method is one Web API method.
type Method struct {
	// AppToken marks a method that needs the app-level token instead of the bot token.
	AppToken bool
	Fn       func(*Request) Result
}

// ServeHTTP answers one Web API call to /api/METHOD.
func (s *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/api/")
	call := Call{Method: name, At: time.Now(), ContentType: r.Header.Get("Content-Type")}
	req := &Request{form: url.Values{}}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	ctype, _, _ := mime.ParseMediaType(call.ContentType)
	if ctype == "application/json" {
		call.JSON = body
		if len(body) > 0 && json.Unmarshal(body, &req.body) != nil {
			s.answer(w, &call, http.StatusOK, Fail("invalid_json"))
			return
		}
	} else {
		req.form, _ = url.ParseQuery(string(body))
		for k, v := range r.URL.Query() {
			req.form[k] = append(req.form[k], v...)
		}
		call.Form = req.form
	}

	m, known := s.cfg.Methods[name]
	if !known {
		s.answer(w, &call, http.StatusOK, Fail("unknown_method"))
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
		s.answer(w, &call, status, Fail(cmp.Or(f.Error, "ratelimited")))
		return
	}
	token := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer"))
	if token == "" && !m.AppToken {
		token = req.form.Get("token")
	}
	if code := s.checkToken(token, m.AppToken); code != "" {
		s.answer(w, &call, http.StatusOK, Fail(code))
		return
	}
	s.answer(w, &call, http.StatusOK, m.Fn(req))
}

// checkToken answers like Slack: not_authed without a token, invalid_auth for
// an unknown one, not_allowed_token_type for the other kind of ours.
func (s *API) checkToken(token string, wantApp bool) string {
	want, other := s.cfg.BotToken, s.cfg.AppToken
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

func (s *API) answer(w http.ResponseWriter, call *Call, status int, res Result) {
	out := map[string]any{"ok": res.Err == ""}
	if res.Err != "" {
		out["error"] = res.Err
		if len(res.Messages) > 0 {
			out["response_metadata"] = map[string]any{"messages": res.Messages}
		}
	}
	for k, v := range res.Fields {
		out[k] = v
	}
	call.Status, call.Error = status, res.Err
	s.cfg.Lock.Lock()
	s.calls = append(s.calls, *call)
	s.cfg.NotifyLocked()
	s.cfg.Lock.Unlock()
	if res.Err != "" {
		s.cfg.Logf("%s → %d %s %v", call.Method, status, res.Err, res.Messages)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(marshal(out))
}

// InjectFault makes the next `times` calls to method fail with f, before
// authentication is checked. Faults queue up per method.
func (s *API) InjectFault(method string, times int, f Fault) {
	s.cfg.Lock.Lock()
	defer s.cfg.Lock.Unlock()
	for range times {
		s.faults[method] = append(s.faults[method], f)
	}
}

// RateLimit makes the next `times` calls to method answer HTTP 429 with
// Retry-After (whole seconds, rounded up), which slack-go surfaces as
// *slack.RateLimitedError.
func (s *API) RateLimit(method string, times int, retryAfter time.Duration) {
	s.InjectFault(method, times, Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

func (s *API) takeFault(method string) (Fault, bool) {
	s.cfg.Lock.Lock()
	defer s.cfg.Lock.Unlock()
	q := s.faults[method]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[method] = q[1:]
	return q[0], true
}

// Calls returns the recorded Web API calls to method ("" for all), in order.
func (s *API) Calls(method string) []Call {
	s.cfg.Lock.Lock()
	defer s.cfg.Lock.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// marshal encodes v without HTML escaping (Slack sends "<" and "&"
// literally) and without a trailing newline; nil if v cannot be encoded.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
