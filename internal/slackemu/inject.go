package slackemu

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/socket"
)

// verificationToken fills the deprecated "token" field of payloads.
const verificationToken = "emulator-verification-token"

// SlashCommand is a user typing a slash command.
type SlashCommand struct {
	UserID, UserName string
	// TeamID defaults to the workspace's.
	TeamID                 string
	ChannelID, ChannelName string
	// Command includes the leading slash, e.g. "/cognito".
	Command string
	// Text is everything after the command, as typed (should_escape: false).
	Text string
}

// SlashCommand delivers a slash_commands envelope with a trigger_id and a
// response_url bound to (channel, user), accepts_response_payload true. An
// ack whose payload has text or blocks becomes a message: ephemeral to the
// user, or public with "response_type":"in_channel".
func (s *Server) SlashCommand(ctx context.Context, c SlashCommand) (*Delivery, error) {
	if !strings.HasPrefix(c.Command, "/") || c.UserID == "" || c.ChannelID == "" {
		return nil, errors.New("slackemu: a slash command needs Command (with /), UserID and ChannelID")
	}
	s.mu.Lock()
	if c.TeamID == "" {
		c.TeamID = s.opts.TeamID
	}
	if c.UserName == "" {
		c.UserName = s.userNameLocked(c.UserID)
	}
	if c.ChannelName == "" {
		c.ChannelName = s.channelNameLocked(c.ChannelID)
	}
	url, key := s.newResponseURLLocked("commands", c.ChannelID, c.UserID, "")
	trig := s.newTriggerLocked(c.UserID)
	// Socket Mode relays the form fields as JSON strings, is_enterprise_install included.
	payload := map[string]any{
		"token": verificationToken, "team_id": c.TeamID, "team_domain": s.opts.TeamDomain,
		"channel_id": c.ChannelID, "channel_name": c.ChannelName,
		"user_id": c.UserID, "user_name": c.UserName,
		"command": c.Command, "text": c.Text, "api_app_id": s.opts.AppID,
		"is_enterprise_install": "false", "response_url": url, "trigger_id": trig,
	}
	d := Delivery{
		EnvelopeID: socket.NewEnvelopeID(), Type: TypeSlashCommands, Payload: marshal(payload),
		AcceptsResponsePayload: true, TriggerID: trig, ResponseURL: url,
	}
	s.mu.Unlock()
	return s.hub.Send(ctx, d, &slashAck{channel: c.ChannelID, user: c.UserID, responseURL: key})
}

func (s *Server) newTriggerLocked(user string) string {
	id := s.newTriggerIDLocked()
	s.triggers[id] = &trigger{user: user}
	return id
}

// Click is userID clicking the button with actionID in msg as it is rendered
// now. It fails, without delivering anything, when the message is deleted,
// is ephemeral to someone else, or has no such button: a test must not click
// what a user could not.
func (s *Server) Click(ctx context.Context, msg Message, actionID, userID string) (*Delivery, error) {
	return s.ClickTicked(ctx, msg, actionID, userID, nil)
}

// ClickTicked is Click with the message's checkboxes ticked as given
// (action_id → option values); their state travels with the click, as in
// Slack. Each must be an option of checkboxes the message shows.
func (s *Server) ClickTicked(ctx context.Context, msg Message, actionID, userID string, ticked map[string][]string) (*Delivery, error) {
	s.mu.Lock()
	m := s.byKey[msg.key()]
	var btns []Button
	if m != nil {
		btns = blockkit.Buttons(m.Blocks)
	}
	s.mu.Unlock()
	switch {
	case m == nil:
		return nil, fmt.Errorf("slackemu: no message %s in %s", msg.TS, msg.Channel)
	case m.Deleted:
		return nil, fmt.Errorf("slackemu: message %s was deleted; nothing to click", msg.TS)
	case m.Ephemeral && m.User != userID:
		return nil, fmt.Errorf("slackemu: message %s is ephemeral to %s; %s cannot see it", msg.TS, m.User, userID)
	}
	var ids []string
	for _, b := range btns {
		if b.ActionID == actionID {
			return s.BlockAction(ctx, BlockActionSpec{
				UserID: userID, ChannelID: m.Channel, MessageTS: m.TS,
				ActionID: b.ActionID, BlockID: b.BlockID, Value: b.Value, Text: b.Text, Style: b.Style, Ticked: ticked,
			})
		}
		ids = append(ids, b.ActionID)
	}
	return nil, fmt.Errorf("slackemu: message %s has no button %q (buttons: %v)", msg.TS, actionID, ids)
}

// BlockActionSpec describes a block_actions interaction in full, so tests can
// forge what a rendered button would never send (tampered values, stale ts).
type BlockActionSpec struct {
	UserID, ChannelID string
	// MessageTS is the message the action came from. When the emulator knows
	// it, container, message and response_url follow the stored message.
	MessageTS string
	// Ephemeral is used only when MessageTS is unknown to the emulator.
	Ephemeral                             bool
	ActionID, BlockID, Value, Text, Style string
	// Type is the element type (default "button").
	Type string
	// SelectedOption is the chosen option object of a static_select or
	// overflow action; it replaces value and text in the payload, as in Slack.
	SelectedOption any
	// Ticked is the state of the message's checkboxes when the user clicked:
	// action_id → ticked option values. They must be in the stored message.
	Ticked map[string][]string
}

// BlockAction delivers a block_actions envelope built exactly like Slack's:
// user, team, container{type:"message",message_ts,channel_id,is_ephemeral},
// channel, message (omitted for ephemeral sources), state, trigger_id,
// response_url bound to the message, and one action.
func (s *Server) BlockAction(ctx context.Context, spec BlockActionSpec) (*Delivery, error) {
	if spec.UserID == "" || spec.ChannelID == "" || spec.ActionID == "" {
		return nil, errors.New("slackemu: a block action needs UserID, ChannelID and ActionID")
	}
	s.mu.Lock()
	m := s.byKey[spec.ChannelID+"/"+spec.MessageTS]
	ephemeral, source := spec.Ephemeral, ""
	if m != nil {
		ephemeral, source = m.Ephemeral, m.key()
	}
	state := map[string]any{}
	if len(spec.Ticked) > 0 {
		if m == nil {
			s.mu.Unlock()
			return nil, errors.New("slackemu: ticked checkboxes need a message the emulator knows")
		}
		var err error
		if state, err = blockkit.MessageState(m.Blocks, spec.Ticked); err != nil {
			s.mu.Unlock()
			return nil, err
		}
	}
	url, _ := s.newResponseURLLocked("actions", spec.ChannelID, spec.UserID, source)
	trig := s.newTriggerLocked(spec.UserID)
	action := map[string]any{
		"action_id": spec.ActionID, "block_id": spec.BlockID, "type": cmp.Or(spec.Type, "button"),
		"text":      map[string]any{"type": "plain_text", "text": spec.Text, "emoji": true},
		"action_ts": s.nextTSLocked(),
	}
	if spec.SelectedOption != nil {
		delete(action, "text")
		action["selected_option"] = spec.SelectedOption
	}
	if spec.Value != "" {
		action["value"] = spec.Value
	}
	if spec.Style != "" {
		action["style"] = spec.Style
	}
	container := map[string]any{
		"type": "message", "message_ts": spec.MessageTS, "channel_id": spec.ChannelID, "is_ephemeral": ephemeral,
	}
	payload := map[string]any{
		"type": "block_actions", "user": s.userJSONLocked(spec.UserID),
		"api_app_id": s.opts.AppID, "token": verificationToken, "container": container,
		"trigger_id": trig, "team": s.teamJSON(), "enterprise": nil, "is_enterprise_install": false,
		"channel":      map[string]any{"id": spec.ChannelID, "name": s.channelNameLocked(spec.ChannelID)},
		"state":        map[string]any{"values": state},
		"response_url": url, "actions": []any{action},
	}
	if m != nil {
		if m.ThreadTS != "" {
			container["thread_ts"] = m.ThreadTS
		}
		if !ephemeral {
			payload["message"] = s.messageJSON(m)
		}
	}
	d := Delivery{
		EnvelopeID: socket.NewEnvelopeID(), Type: TypeInteractive, Payload: marshal(payload),
		TriggerID: trig, ResponseURL: url,
	}
	s.mu.Unlock()
	return s.hub.Send(ctx, d, nil)
}

func (s *Server) userJSONLocked(id string) map[string]any {
	name := s.userNameLocked(id)
	return map[string]any{"id": id, "username": name, "name": name, "team_id": s.opts.TeamID}
}

func (s *Server) teamJSON() map[string]any {
	return map[string]any{"id": s.opts.TeamID, "domain": s.opts.TeamDomain}
}
