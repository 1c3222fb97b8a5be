package slackemu

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
)

// Choose is userID picking the option with value in the static_select or
// overflow menu actionID of msg as it is rendered now. Like Click it refuses,
// delivering nothing, what the user could not do: a deleted message, someone
// else's ephemeral, no such menu, or no such option. The block_actions
// payload carries selected_option as Slack sends it.
func (s *Server) Choose(ctx context.Context, msg Message, actionID, userID, value string) (*Delivery, error) {
	s.mu.Lock()
	m := s.byKey[msg.key()]
	if m == nil || m.Deleted || (m.Ephemeral && m.User != userID) {
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: %s cannot see message %s in %s", userID, msg.TS, msg.Channel)
	}
	var blocks []map[string]any
	_ = json.Unmarshal(m.Blocks, &blocks)
	var found map[string]any
	var blockID, typ string
	for _, b := range blocks {
		for _, el := range blockkit.Elements(b) {
			t, _ := el.Object["type"].(string)
			if el.Object["action_id"] == actionID && (t == "static_select" || t == "overflow") {
				found, typ = el.Object, t
				blockID, _ = b["block_id"].(string)
			}
		}
	}
	s.mu.Unlock()
	if found == nil {
		return nil, fmt.Errorf("slackemu: message %s has no menu %q", msg.TS, actionID)
	}
	opt := blockkit.FindOption(found, value)
	if opt == nil {
		return nil, fmt.Errorf("slackemu: menu %q has no option %q", actionID, value)
	}
	return s.BlockAction(ctx, BlockActionSpec{
		UserID: userID, ChannelID: m.Channel, MessageTS: m.TS,
		ActionID: actionID, BlockID: blockID, Type: typ, SelectedOption: opt,
	})
}

// CloseView is userID dismissing an open modal (Cancel or ✕): the view and
// every view stacked with it leave the screen. The emulator does not model
// notify_on_close, so no view_closed payload is sent.
func (s *Server) CloseView(viewID, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.views[viewID]
	switch {
	case v == nil || !v.Open:
		return fmt.Errorf("slackemu: view %s is not on screen", viewID)
	case v.UserID != userID:
		return fmt.Errorf("slackemu: view %s belongs to %s, not %s", viewID, v.UserID, userID)
	}
	for _, x := range s.stackLocked(v.RootViewID) {
		x.Open = false
	}
	s.notifyLocked()
	return nil
}

// OpenView returns userID's topmost open modal, the one on their screen.
func (s *Server) OpenView(userID string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.topViewLocked(userID)
	if v == nil {
		return View{}, false
	}
	return v.clone(), true
}
