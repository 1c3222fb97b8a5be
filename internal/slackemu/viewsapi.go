package slackemu

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/webapi"
)

// checkTriggerLocked checks a trigger_id like Slack: invalid_trigger_id if never
// issued, exchanged_trigger_id if used, expired_trigger_id after TriggerTTL
// from when its envelope was sent. It does not consume the trigger.
func (s *Server) checkTriggerLocked(id string) (*trigger, webapi.Result, bool) {
	t := s.triggers[id]
	switch {
	case id == "":
		return nil, webapi.Fail("invalid_arguments", "[ERROR] missing required field: trigger_id"), false
	case t == nil || t.issued.IsZero():
		return nil, webapi.Fail("invalid_trigger_id"), false
	case t.used:
		return nil, webapi.Fail("exchanged_trigger_id"), false
	case s.now().Sub(t.issued) > s.opts.TriggerTTL:
		return nil, webapi.Fail("expired_trigger_id"), false
	}
	return t, webapi.Result{}, true
}

func (s *Server) viewsOpen(r *webapi.Request) webapi.Result { return s.openOrPush(r, false) }

func (s *Server) viewsPush(r *webapi.Request) webapi.Result { return s.openOrPush(r, true) }

// openOrPush is views.open (a new modal) or views.push (on top of the user's
// open modal; without one it behaves like views.open).
func (s *Server) openOrPush(r *webapi.Request, push bool) webapi.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	triggerID := r.Str("trigger_id")
	t, fail, ok := s.checkTriggerLocked(triggerID)
	if !ok {
		return fail
	}
	body, err := blockkit.ParseModal(r.Raw("view"))
	if err != nil {
		return refusal(err)
	}
	v := &View{ID: s.newSlackIDLocked("V"), UserID: t.user, TriggerID: triggerID, Open: true, Opened: s.now()}
	v.RootViewID = v.ID
	if top := s.topViewLocked(t.user); push && top != nil {
		if len(s.stackLocked(top.RootViewID)) >= maxViewStack {
			return webapi.Fail("push_limit_reached")
		}
		v.RootViewID, v.PreviousViewID = top.RootViewID, top.ID
	}
	t.used = true
	s.setViewContentLocked(v, body)
	s.views[v.ID] = v
	s.viewOrder = append(s.viewOrder, v.ID)
	s.notifyLocked()
	return webapi.OK(map[string]any{"view": s.viewJSONLocked(v, nil)})
}

func (s *Server) viewsUpdate(r *webapi.Request) webapi.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	var v *View
	if id := r.Str("view_id"); id != "" {
		v = s.views[id]
	} else if ext := r.Str("external_id"); ext != "" {
		for _, x := range s.views {
			if x.ExternalID == ext && x.Open {
				v = x
			}
		}
	} else {
		return webapi.Fail("invalid_arguments", "[ERROR] view_id or external_id is required")
	}
	if v == nil || !v.Open {
		return webapi.Fail("not_found")
	}
	if h := r.Str("hash"); h != "" && h != v.Hash {
		return webapi.Fail("hash_conflict")
	}
	body, err := blockkit.ParseModal(r.Raw("view"))
	if err != nil {
		return refusal(err)
	}
	s.setViewContentLocked(v, body)
	v.Updates++
	s.notifyLocked()
	return webapi.OK(map[string]any{"view": s.viewJSONLocked(v, nil)})
}

// applyViewAckLocked gives a view_submission ack its response_action effect.
func (s *Server) applyViewAckLocked(viewID string, payload json.RawMessage) string {
	v := s.views[viewID]
	if v == nil || !v.Open {
		return "view is no longer open"
	}
	var resp struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           json.RawMessage   `json:"view"`
	}
	if err := json.Unmarshal(payload, &resp); err != nil {
		return "ack payload is not a JSON object: " + err.Error()
	}
	defer s.notifyLocked()
	switch resp.ResponseAction {
	case "":
		v.Open = false
	case "clear":
		for _, x := range s.stackLocked(v.RootViewID) {
			x.Open = false
		}
	case "errors":
		inputs := map[string]bool{}
		for _, b := range blockkit.InputBlocks(v.Blocks) {
			id, _ := b["block_id"].(string)
			inputs[id] = true
		}
		v.Errors = map[string]string{}
		var bad []string
		for k, msg := range resp.Errors {
			if inputs[k] {
				v.Errors[k] = msg
			} else {
				bad = append(bad, k)
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			return "errors keys are not input block_ids (Slack shows a generic error): " + strings.Join(bad, ", ")
		}
	case "update", "push":
		body, err := blockkit.ParseModal(resp.View)
		if err != nil {
			fail := refusal(err)
			return fmt.Sprintf("response_action %s: %s %v", resp.ResponseAction, fail.Err, fail.Messages)
		}
		target := v
		if resp.ResponseAction == "push" {
			if len(s.stackLocked(v.RootViewID)) >= maxViewStack {
				return "push_limit_reached"
			}
			target = &View{ID: s.newSlackIDLocked("V"), UserID: v.UserID, RootViewID: v.RootViewID,
				PreviousViewID: v.ID, Open: true, Opened: s.now()}
			s.views[target.ID] = target
			s.viewOrder = append(s.viewOrder, target.ID)
		} else {
			target.Updates++
		}
		s.setViewContentLocked(target, body)
	default:
		return fmt.Sprintf("unknown response_action %q", resp.ResponseAction)
	}
	return ""
}
