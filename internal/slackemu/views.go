package slackemu

import (
	"encoding/json"
	"time"

	"github.com/slack-go/slack"
)

// maxViewStack is how many views Slack stacks in one modal (views.push).
const maxViewStack = 3

// trigger is a trigger_id handed out with an envelope.
type trigger struct {
	user   string
	issued time.Time // set when the envelope is sent
	used   bool
}

// View is a modal as the user sees it.
type View struct {
	ID, ExternalID, UserID string
	// TriggerID is the trigger it was opened (or pushed) with.
	TriggerID                  string
	Type, CallbackID, Title    string
	PrivateMetadata, Hash      string
	RootViewID, PreviousViewID string
	// JSON is the view object as last set by the bot, blocks normalized.
	JSON        json.RawMessage
	Blocks      json.RawMessage
	SlackBlocks slack.Blocks
	// Open reports whether the modal is still on screen.
	Open bool
	// Errors are the input errors shown after the last submission's ack.
	Errors map[string]string
	// Updates counts views.update calls and response_action "update" acks.
	Updates int
	Opened  time.Time
}

type viewState struct {
	views     map[string]*View
	viewOrder []string
	// homes are the Home tabs published, by user.
	homes map[string]*View
}

func (s *Server) initViews() { s.views, s.homes = map[string]*View{}, map[string]*View{} }

// setViewContentLocked stores a parsed view body on v and gives it a new hash.
func (s *Server) setViewContentLocked(v *View, body map[string]any) {
	v.JSON = marshal(body)
	v.Blocks, _ = body["blocks"].(json.RawMessage)
	v.SlackBlocks = slack.Blocks{}
	_ = json.Unmarshal(v.Blocks, &v.SlackBlocks)
	v.Type, _ = body["type"].(string)
	v.CallbackID, _ = body["callback_id"].(string)
	v.PrivateMetadata, _ = body["private_metadata"].(string)
	v.ExternalID, _ = body["external_id"].(string)
	if t, ok := body["title"].(map[string]any); ok {
		v.Title, _ = t["text"].(string)
	}
	v.Hash = s.nextTSLocked() + "." + randomHex(4)
	v.Errors = nil
}

// viewJSONLocked renders v as Slack sends it in API responses and payloads.
func (s *Server) viewJSONLocked(v *View, state map[string]any) map[string]any {
	out := map[string]any{}
	_ = json.Unmarshal(v.JSON, &out)
	if state == nil {
		state = map[string]any{}
	}
	for k, val := range map[string]any{
		"id": v.ID, "team_id": s.opts.TeamID, "blocks": v.Blocks, "state": map[string]any{"values": state},
		"hash": v.Hash, "root_view_id": v.RootViewID, "previous_view_id": nullable(v.PreviousViewID),
		"app_id": s.opts.AppID, "external_id": v.ExternalID, "app_installed_team_id": s.opts.TeamID,
		"bot_id": s.opts.BotID, "private_metadata": v.PrivateMetadata, "callback_id": v.CallbackID,
	} {
		out[k] = val
	}
	return out
}

// Views returns snapshots of every view ever opened, in opening order.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]View, 0, len(s.viewOrder))
	for _, id := range s.viewOrder {
		out = append(out, s.views[id].clone())
	}
	return out
}

// View returns the current state of one view.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.views[id]
	if v == nil {
		return View{}, false
	}
	return v.clone(), true
}

func (v *View) clone() View {
	c := *v
	if v.Errors != nil {
		c.Errors = make(map[string]string, len(v.Errors))
		for k, e := range v.Errors {
			c.Errors[k] = e
		}
	}
	return c
}

// stackLocked returns the open views sharing root, bottom first.
func (s *Server) stackLocked(root string) []*View {
	var out []*View
	for _, id := range s.viewOrder {
		if v := s.views[id]; v.Open && v.RootViewID == root {
			out = append(out, v)
		}
	}
	return out
}

// topViewLocked returns the user's topmost open view, if any.
func (s *Server) topViewLocked(user string) *View {
	for i := len(s.viewOrder) - 1; i >= 0; i-- {
		if v := s.views[s.viewOrder[i]]; v.Open && v.UserID == user {
			return v
		}
	}
	return nil
}

// nullable is a JSON null for an empty string, as Slack sends absent ids.
func nullable(x string) any {
	if x == "" {
		return nil
	}
	return x
}
