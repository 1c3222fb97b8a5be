package slackemu

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/socket"
)

// SubmitView is userID pressing Submit on an open modal with the given input
// values (block_id → action_id → value). It delivers a view_submission
// envelope whose view carries callback_id, private_metadata and state.values
// for every input block, with accepts_response_payload true; the ack's
// response_action (errors, update, push, clear, or none) then acts on the view.
//
// Values are strings: the text for text inputs, the option value for
// static_select / radio_buttons, the date (YYYY-MM-DD) for a datepicker, the
// ID for users/conversations/channels selects, comma-separated values for
// checkboxes and multi-selects (SubmitInputs takes values with commas), and
// comma-separated file ids (from PutFileBy, uploaded by the submitting user)
// for file_input, which must respect the element's max_files and filetypes.
//
// Like the Slack client, it refuses (with an error, delivering nothing) to
// submit a view that is closed, not on top, someone else's, missing a
// required input, or given a value for an input it does not have.
func (s *Server) SubmitView(ctx context.Context, viewID, userID string, values map[string]map[string]string) (*Delivery, error) {
	inputs := map[string]map[string]Input{}
	for block, acts := range values {
		inputs[block] = map[string]Input{}
		for action, v := range acts {
			inputs[block][action] = blockkit.CommaList(v)
		}
	}
	return s.SubmitInputs(ctx, viewID, userID, inputs)
}

// SubmitInputs is SubmitView with each value in the shape its element takes:
// Text for single-valued inputs, Chosen for checkboxes and multi-selects. A
// value of the wrong shape is refused, as Slack's client could not send it.
func (s *Server) SubmitInputs(ctx context.Context, viewID, userID string, inputs map[string]map[string]Input) (*Delivery, error) {
	s.mu.Lock()
	v := s.views[viewID]
	switch {
	case v == nil:
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: no view %s", viewID)
	case !v.Open || s.topViewLocked(v.UserID) != v:
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: view %s is not on screen", viewID)
	case v.UserID != userID:
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: view %s belongs to %s, not %s", viewID, v.UserID, userID)
	case !blockkit.HasSubmit(v.JSON):
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: view %s has no submit button", viewID)
	}
	state, err := blockkit.StateValues(v.ID, v.Blocks, inputs, s.userFileLocked(userID))
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	v.Errors = nil
	trig := s.newTriggerLocked(userID)
	payload := map[string]any{
		"type": "view_submission", "team": s.teamJSON(), "user": s.userJSONLocked(userID),
		"api_app_id": s.opts.AppID, "token": verificationToken, "trigger_id": trig,
		"view": s.viewJSONLocked(v, state), "response_urls": []any{},
		"is_enterprise_install": false, "enterprise": nil,
	}
	d := Delivery{
		EnvelopeID: socket.NewEnvelopeID(), Type: TypeInteractive, Payload: marshal(payload),
		AcceptsResponsePayload: true, TriggerID: trig, ViewID: viewID,
	}
	s.mu.Unlock()
	return s.hub.Send(ctx, d, nil)
}
