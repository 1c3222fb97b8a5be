package slackemu

import (
	"context"
	"fmt"
	"regexp"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/socket"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/webapi"
)

// userIDPattern is what Slack accepts as a user id for views.publish.
var userIDPattern = regexp.MustCompile(`^[UW][A-Z0-9]+$`)

// viewsPublish is views.publish, checked as Slack does: a user_id of a
// workspace member, a view of type "home" (no title, submit or close: a Home
// tab has none), at most 100 valid blocks, and, when hash is given, the hash
// of the Home tab as last published (else hash_conflict).
func (s *Server) viewsPublish(r *webapi.Request) webapi.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	user := r.Str("user_id")
	switch _, known := s.users[user]; {
	case user == "":
		return webapi.Fail("invalid_arguments", "[ERROR] missing required field: user_id")
	case !userIDPattern.MatchString(user) || !known:
		return webapi.Fail("user_not_found")
	}
	body, err := blockkit.ParseHome(r.Raw("view"))
	if err != nil {
		return refusal(err)
	}
	v := s.homes[user]
	if h := r.Str("hash"); h != "" && (v == nil || h != v.Hash) {
		return webapi.Fail("hash_conflict")
	}
	if v == nil {
		v = &View{ID: s.newSlackIDLocked("V"), UserID: user, Open: true, Opened: s.now()}
		v.RootViewID = v.ID
		s.homes[user] = v
	} else {
		v.Updates++
	}
	s.setViewContentLocked(v, body)
	s.notifyLocked()
	return webapi.OK(map[string]any{"view": s.viewJSONLocked(v, nil)})
}

// HomeView returns userID's Home tab as the bot last published it.
func (s *Server) HomeView(userID string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.homes[userID]
	if v == nil {
		return View{}, false
	}
	return v.clone(), true
}

// AppHomeOpened delivers the app_home_opened event of userID opening the
// app's Home tab, as an Events API envelope.
func (s *Server) AppHomeOpened(ctx context.Context, userID string) (*Delivery, error) {
	s.mu.Lock()
	dm, _ := s.dmLocked(userID)
	ts := s.nextTSLocked()
	event := map[string]any{"type": "app_home_opened", "user": userID, "channel": dm, "tab": "home", "event_ts": ts}
	if v := s.homes[userID]; v != nil {
		event["view"] = s.viewJSONLocked(v, nil)
	}
	payload := map[string]any{
		"token": verificationToken, "team_id": s.opts.TeamID, "api_app_id": s.opts.AppID,
		"type": "event_callback", "event_id": "Ev" + randomHex(8), "event_time": s.now().Unix(),
		"event": event,
	}
	s.mu.Unlock()
	return s.Deliver(ctx, TypeEventsAPI, payload, false)
}

// ClickHome is userID clicking, in their Home tab as it is now, the button
// actionID carrying value ("" for the first such button): a block_actions
// payload from a view container, without channel or response_url, as Slack
// sends it. It fails when the Home tab shows no such button.
func (s *Server) ClickHome(ctx context.Context, userID, actionID, value string) (*Delivery, error) {
	s.mu.Lock()
	v := s.homes[userID]
	if v == nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: %s has no Home tab", userID)
	}
	var hit *Button
	for _, b := range blockkit.Buttons(v.Blocks) {
		if b.ActionID == actionID && (value == "" || b.Value == value) {
			hit = &b
			break
		}
	}
	if hit == nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: %s's Home tab has no button %q with value %q", userID, actionID, value)
	}
	action := map[string]any{
		"action_id": hit.ActionID, "block_id": hit.BlockID, "type": "button", "value": hit.Value,
		"text": map[string]any{"type": "plain_text", "text": hit.Text, "emoji": true}, "action_ts": s.nextTSLocked(),
	}
	payload := map[string]any{
		"type": "block_actions", "user": s.userJSONLocked(userID), "api_app_id": s.opts.AppID, "token": verificationToken,
		"container":  map[string]any{"type": "view", "view_id": v.ID},
		"trigger_id": s.newTriggerLocked(userID), "team": s.teamJSON(), "enterprise": nil, "is_enterprise_install": false,
		"view": s.viewJSONLocked(v, nil), "state": map[string]any{"values": map[string]any{}}, "actions": []any{action},
	}
	s.mu.Unlock()
	raw, err := socket.ToRaw(payload)
	if err != nil {
		return nil, err
	}
	return s.hub.Send(ctx, Delivery{EnvelopeID: socket.NewEnvelopeID(), Type: TypeInteractive, Payload: raw}, nil)
}
