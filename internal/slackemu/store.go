package slackemu

import (
	"context"
	"encoding/json"
	"time"

	"github.com/slack-go/slack"
)

// Message sources: which path created or last changed a message.
const (
	SourcePostMessage   = "chat.postMessage"
	SourcePostEphemeral = "chat.postEphemeral"
	SourceUpdate        = "chat.update"
	SourceDelete        = "chat.delete"
	SourceSlashAck      = "slash_command_ack"
	SourceResponseURL   = "response_url"
	// SourceSlackError is Slack's own ephemeral error, e.g. operation_timeout
	// when a slash command is not acked in time.
	SourceSlackError = "slack_error"
)

// SlackbotUserID authors the errors Slack itself shows users.
const SlackbotUserID = "USLACKBOT"

// Message is a message as users see it. Values returned by the Server are
// snapshots; use Message(channel, ts) or WaitMessage for the current state.
type Message struct {
	Channel  string
	TS       string
	ThreadTS string
	// User is the only user who can see an ephemeral message; "" otherwise.
	User      string
	Ephemeral bool
	// Author is who posted it (the bot's user ID for everything the bot sends).
	Author string
	Text   string
	// Blocks is the current Block Kit JSON, with the block_id and action_id
	// values Slack fills in when the sender left them out.
	Blocks      json.RawMessage
	SlackBlocks slack.Blocks
	// Source is what created the message (one of the Source constants).
	Source  string
	Deleted bool
	// Updated counts in-place changes (chat.update, replace_original).
	Updated int
	// Versions is the history, oldest first; the last entry is the current content.
	Versions []MessageVersion
	Posted   time.Time
}

// MessageVersion is one state of a message's content.
type MessageVersion struct {
	Text   string
	Blocks json.RawMessage
	Source string
	At     time.Time
}

// VisibleTo reports whether a user who can see the channel would see the message:
// not deleted, and either public or ephemeral to that user.
func (m Message) VisibleTo(userID string) bool {
	return !m.Deleted && (!m.Ephemeral || m.User == userID)
}

func (m *Message) key() string { return m.Channel + "/" + m.TS }

func (m *Message) clone() Message {
	c := *m
	c.Versions = append([]MessageVersion(nil), m.Versions...)
	return c
}

// storeState is the message store, guarded by Server.mu.
type storeState struct {
	messages []*Message
	byKey    map[string]*Message
}

func (s *Server) initStore() { s.byKey = map[string]*Message{} }

// addMessageLocked stores a new message with a fresh ts.
func (s *Server) addMessageLocked(m Message, blocks json.RawMessage) *Message {
	m.TS = s.nextTSLocked()
	m.Posted = s.now()
	if m.Author == "" {
		m.Author = s.opts.BotUserID
	}
	m.Versions = nil
	m.setContent(m.Text, blocks, m.Source, m.Posted)
	p := &m
	s.messages = append(s.messages, p)
	s.byKey[p.key()] = p
	s.logf("message %s in %s (%s, ephemeral=%v)", p.TS, p.Channel, p.Source, p.Ephemeral)
	s.notifyLocked()
	return p
}

// replaceLocked changes a message's content in place, keeping its ts.
func (s *Server) replaceLocked(m *Message, text string, blocks json.RawMessage, source string) {
	m.Updated++
	m.setContent(text, blocks, source, s.now())
	s.notifyLocked()
}

func (s *Server) deleteLocked(m *Message, source string) {
	m.Deleted = true
	m.Versions = append(m.Versions, MessageVersion{Source: source, At: s.now()})
	s.notifyLocked()
}

func (m *Message) setContent(text string, blocks json.RawMessage, source string, at time.Time) {
	m.Text, m.Blocks, m.Source = text, blocks, source
	m.SlackBlocks = slack.Blocks{}
	if len(blocks) > 0 {
		_ = json.Unmarshal(blocks, &m.SlackBlocks) // unknown block types just stay unparsed
	}
	m.Versions = append(m.Versions, MessageVersion{Text: text, Blocks: blocks, Source: source, At: at})
}

// Messages returns snapshots of every message (deleted ones included) for
// which keep returns true, in posting order. A nil keep returns all.
func (s *Server) Messages(keep func(Message) bool) []Message {
	s.mu.Lock()
	all := make([]Message, 0, len(s.messages))
	for _, m := range s.messages {
		all = append(all, m.clone())
	}
	s.mu.Unlock()
	if keep == nil {
		return all
	}
	out := all[:0]
	for _, m := range all {
		if keep(m) {
			out = append(out, m)
		}
	}
	return out
}

// Visible returns what userID sees in channel: live messages that are public
// or ephemeral to them, in posting order.
func (s *Server) Visible(channel, userID string) []Message {
	return s.Messages(func(m Message) bool { return m.Channel == channel && m.VisibleTo(userID) })
}

// Message returns the current state of the message at (channel, ts).
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.byKey[channel+"/"+ts]
	if m == nil {
		return Message{}, false
	}
	return m.clone(), true
}

// WaitMessage blocks until some message, in its current state, satisfies
// match, and returns it. It wakes on every post, update and deletion, so
// match can wait for an update (e.g. m.Updated > 0) as well as a new message.
// When several match, the earliest posted wins.
func (s *Server) WaitMessage(ctx context.Context, match func(Message) bool) (Message, error) {
	var found Message
	err := s.Wait(ctx, func() bool {
		ms := s.Messages(match)
		if len(ms) == 0 {
			return false
		}
		found = ms[0]
		return true
	})
	return found, err
}
