package slackemu

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/webapi"
)

// maxTextRunes is where Slack starts refusing a message's top-level text.
const maxTextRunes = 40000

// content is a message body as the chat methods and response_url receive it.
type content struct {
	text   string
	blocks json.RawMessage // normalized; nil when none
	// hasBlocks is false when the request had no blocks field at all, which
	// chat.update treats as "keep the current blocks".
	hasBlocks bool
}

// parseContent validates text and blocks like Slack: no_text, msg_too_long,
// invalid_blocks (with Slack-style messages).
func parseContent(text string, rawBlocks json.RawMessage, hasAttachments bool) (content, webapi.Result, bool) {
	c := content{text: text, hasBlocks: rawBlocks != nil}
	blocks, err := blockkit.Normalize(rawBlocks, blockkit.MaxMessageBlocks)
	if err != nil {
		return c, webapi.Fail("invalid_blocks", err.Error()), false
	}
	c.blocks = blocks
	if text == "" && blocks == nil && !hasAttachments {
		return c, webapi.Fail("no_text"), false
	}
	if utf8.RuneCountInString(text) > maxTextRunes {
		return c, webapi.Fail("msg_too_long"), false
	}
	return c, webapi.Result{}, true
}

func requestContent(r *webapi.Request) (content, webapi.Result, bool) {
	return parseContent(r.Str("text"), r.Raw("blocks"), !blockkit.IsEmptyJSON(r.Raw("attachments")))
}

// messageJSON is a message object as chat.postMessage returns it and
// block_actions payloads embed it.
func (s *Server) messageJSON(m *Message) map[string]any {
	out := map[string]any{
		"type": "message", "user": m.Author, "bot_id": s.opts.BotID, "app_id": s.opts.AppID,
		"text": m.Text, "ts": m.TS, "team": s.opts.TeamID,
	}
	if m.Blocks != nil {
		out["blocks"] = m.Blocks
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.Updated > 0 {
		out["edited"] = map[string]any{"user": m.Author, "ts": m.TS}
	}
	return out
}

func (s *Server) chatPostMessage(r *webapi.Request) webapi.Result {
	if r.Str("channel") == "" {
		return webapi.Fail("channel_not_found")
	}
	c, fail, ok := requestContent(r)
	if !ok {
		return fail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.addMessageLocked(Message{
		Channel: s.resolveChannelLocked(r.Str("channel")), ThreadTS: r.Str("thread_ts"),
		Text: c.text, Source: SourcePostMessage,
	}, c.blocks)
	return webapi.OK(map[string]any{"channel": m.Channel, "ts": m.TS, "message": s.messageJSON(m)})
}

func (s *Server) chatPostEphemeral(r *webapi.Request) webapi.Result {
	if r.Str("channel") == "" {
		return webapi.Fail("channel_not_found")
	}
	if !looksLikeUserID(r.Str("user")) {
		return webapi.Fail("user_not_in_channel")
	}
	c, fail, ok := requestContent(r)
	if !ok {
		return fail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.addMessageLocked(Message{
		Channel: s.resolveChannelLocked(r.Str("channel")), ThreadTS: r.Str("thread_ts"),
		User: r.Str("user"), Ephemeral: true, Text: c.text, Source: SourcePostEphemeral,
	}, c.blocks)
	return webapi.OK(map[string]any{"message_ts": m.TS})
}

// editableLocked finds a message chat.update / chat.delete may touch. Slack
// keeps no server-side copy of ephemeral messages, so their ts is unknown to
// these methods: message_not_found, the same as a made-up ts.
func (s *Server) editableLocked(r *webapi.Request) (*Message, webapi.Result, bool) {
	m := s.byKey[s.resolveChannelLocked(r.Str("channel"))+"/"+r.Str("ts")]
	switch {
	case m == nil || m.Deleted || m.Ephemeral:
		return nil, webapi.Fail("message_not_found"), false
	case m.Author != s.opts.BotUserID:
		return nil, webapi.Fail("cant_update_message"), false
	}
	return m, webapi.Result{}, true
}

func (s *Server) chatUpdate(r *webapi.Request) webapi.Result {
	c, fail, ok := requestContent(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	m, notFound, found := s.editableLocked(r)
	if !found {
		return notFound
	}
	if !ok {
		return fail
	}
	blocks := c.blocks
	if !c.hasBlocks {
		blocks = m.Blocks // omitted blocks are kept; "[]" removes them
	}
	s.replaceLocked(m, c.text, blocks, SourceUpdate)
	return webapi.OK(map[string]any{"channel": m.Channel, "ts": m.TS, "text": m.Text, "message": s.messageJSON(m)})
}

func (s *Server) chatDelete(r *webapi.Request) webapi.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, notFound, found := s.editableLocked(r)
	if !found {
		return notFound
	}
	s.deleteLocked(m, SourceDelete)
	return webapi.OK(map[string]any{"channel": m.Channel, "ts": m.TS})
}
