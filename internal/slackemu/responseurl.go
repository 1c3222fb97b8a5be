package slackemu

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
)

// responseURL is one response_url the emulator handed out.
type responseURL struct {
	channel, user string
	// source is the key of the message replace_original / delete_original act
	// on: the clicked message for block_actions; for a slash command, the
	// first message the command produced (its ack reply or first post here).
	source  string
	created time.Time
	uses    int
}

// ResponsePost is one POST to a response_url and what came of it.
type ResponsePost struct {
	URL  string
	At   time.Time
	Body json.RawMessage
	// Text, ResponseType, ReplaceOriginal and DeleteOriginal are parsed from Body.
	Text            string
	ResponseType    string
	ReplaceOriginal bool
	DeleteOriginal  bool
	// Status and Result are the answer: 200 "ok", or an error status with a
	// text body naming the refusal (see serveResponseURL).
	Status int
	Result string
	// Channel and TS identify the message created, replaced or deleted.
	Channel, TS string
}

func (s *Server) initResponseURLs() { s.responseURLs = map[string]*responseURL{} }

// newResponseURLLocked mints a response_url shaped like Slack's
// (https://hooks.slack.com/actions/T…/123/secret) on the emulator's host,
// returning the URL and its key (the path).
func (s *Server) newResponseURLLocked(kind, channel, user, source string) (string, string) {
	path := fmt.Sprintf("/%s/%s/%d/%s", kind, s.opts.TeamID, 1000000000+s.nextSeqLocked(), randomHex(12))
	s.responseURLs[path] = &responseURL{channel: channel, user: user, source: source, created: s.now()}
	return s.base + path, path
}

// serveResponseURL answers a response_url POST. Success is exactly "ok"
// (slack-go accepts nothing else as text). Refusals are text bodies with a
// 4xx status, which slack-go reports as StatusCodeError; the names are the
// ones Slack is reported to use, the statuses a plausible guess:
//
//	404 no_service         unknown URL
//	404 expired_url        older than ResponseURLTTL (30 min)
//	404 used_url           already used ResponseURLUses (5) times
//	404 message_not_found  replace/delete_original when the message is gone
//	400 invalid_payload    body is not a JSON object
//	400 no_text            neither text nor blocks
//	400 invalid_blocks     blocks fail validation
//
// Refused posts do not count as uses.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method_not_allowed", http.StatusMethodNotAllowed)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	post := ResponsePost{URL: s.base + r.URL.Path, At: time.Now(), Body: body}
	s.mu.Lock()
	post.Status, post.Result = s.respondLocked(r.URL.Path, &post)
	s.responsePosts = append(s.responsePosts, post)
	s.notifyLocked()
	s.mu.Unlock()
	if post.Status != http.StatusOK {
		s.logf("response_url refused: %d %s", post.Status, post.Result)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(post.Status)
	_, _ = io.WriteString(w, post.Result)
}

func (s *Server) respondLocked(key string, post *ResponsePost) (int, string) {
	u := s.responseURLs[key]
	switch {
	case u == nil:
		return http.StatusNotFound, "no_service"
	case s.now().Sub(u.created) > s.opts.ResponseURLTTL:
		return http.StatusNotFound, "expired_url"
	case u.uses >= s.opts.ResponseURLUses:
		return http.StatusNotFound, "used_url"
	}
	var msg struct {
		Text            string          `json:"text"`
		Blocks          json.RawMessage `json:"blocks"`
		Attachments     json.RawMessage `json:"attachments"`
		ResponseType    string          `json:"response_type"`
		ReplaceOriginal bool            `json:"replace_original"`
		DeleteOriginal  bool            `json:"delete_original"`
		ThreadTS        string          `json:"thread_ts"`
	}
	if err := json.Unmarshal(post.Body, &msg); err != nil {
		return http.StatusBadRequest, "invalid_payload"
	}
	post.Text, post.ResponseType = msg.Text, msg.ResponseType
	post.ReplaceOriginal, post.DeleteOriginal = msg.ReplaceOriginal, msg.DeleteOriginal
	src := s.byKey[u.source]
	if (msg.DeleteOriginal || msg.ReplaceOriginal) && u.source != "" && (src == nil || src.Deleted) {
		return http.StatusNotFound, "message_not_found"
	}

	if msg.DeleteOriginal {
		if src == nil {
			return http.StatusNotFound, "message_not_found"
		}
		s.deleteLocked(src, SourceResponseURL)
		u.uses++
		post.Channel, post.TS = src.Channel, src.TS
		return http.StatusOK, "ok"
	}
	c, fail, ok := parseContent(msg.Text, msg.Blocks, !blockkit.IsEmptyJSON(msg.Attachments))
	if !ok {
		return http.StatusBadRequest, fail.Err
	}
	u.uses++
	if msg.ReplaceOriginal && src != nil {
		// The whole message is replaced; visibility (ephemeral or not) stays.
		s.replaceLocked(src, c.text, c.blocks, SourceResponseURL)
		post.Channel, post.TS = src.Channel, src.TS
		return http.StatusOK, "ok"
	}
	m := Message{Channel: u.channel, ThreadTS: msg.ThreadTS, Text: c.text, Source: SourceResponseURL}
	if msg.ResponseType != "in_channel" {
		m.Ephemeral, m.User = true, u.user
	}
	p := s.addMessageLocked(m, c.blocks)
	if u.source == "" {
		u.source = p.key()
	}
	post.Channel, post.TS = p.Channel, p.TS
	return http.StatusOK, "ok"
}

// ResponsePosts returns the posts made to responseURL ("" for all), in order.
func (s *Server) ResponsePosts(responseURL string) []ResponsePost {
	if u, err := url.Parse(responseURL); err == nil && responseURL != "" {
		responseURL = s.base + u.Path
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ResponsePost
	for _, p := range s.responsePosts {
		if responseURL == "" || p.URL == responseURL {
			out = append(out, p)
		}
	}
	return out
}
