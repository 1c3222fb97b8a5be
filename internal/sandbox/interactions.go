package sandbox

import (
	"context"
	"errors"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"net/http"
	"strings"
	"time"
)

func (s *Sandbox) renderer() *renderer {
	names := Names{
		User: func(id string) string {
			if p, ok := personaByID(id); ok {
				return p.Name
			}
			return ""
		},
		Channel: func(id string) string {
			switch id {
			case ChannelSupport:
				return "support"
			case ChannelApprovals:
				return "approvals"
			}
			return ""
		},
	}
	return &renderer{names: names, now: s.now(), loc: time.Local}
}

func (s *Sandbox) serveCommand(w http.ResponseWriter, r *http.Request) {
	var req struct{ Persona, Channel, Text string }
	if !readJSON(w, r, &req) {
		return
	}
	p, err := s.personaOf(req.Persona, req.Channel)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	text := strings.TrimSpace(req.Text)
	command := s.cfg.Slack.Command
	if !strings.HasPrefix(text, command+" ") && text != command {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the sandbox only knows " + command + " (try " + command + " help)"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), injectTimeout)
	defer cancel()
	_, err = s.emu.SlashCommand(ctx, slackemu.SlashCommand{
		UserID: p.ID, ChannelID: req.Channel, Command: command, Text: strings.TrimSpace(strings.TrimPrefix(text, command)),
	})
	answer(w, err)
}

// serveAction forwards a click on an element the message renders now; the
// emulator refuses anything that is not there.
func (s *Sandbox) serveAction(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Persona, Channel, TS, Kind, ActionID, Value string
		// Ticked is the message's checkboxes: action_id → ticked values.
		Ticked map[string][]string
	}
	if !readJSON(w, r, &req) {
		return
	}
	p, err := s.personaOf(req.Persona, req.Channel)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if req.Channel == ChannelHome {
		ctx, cancel := context.WithTimeout(r.Context(), injectTimeout)
		defer cancel()
		_, err = s.emu.ClickHome(ctx, p.ID, req.ActionID, req.Value)
		answer(w, err)
		return
	}
	m, ok := s.emu.Message(req.Channel, req.TS)
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "no such message"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), injectTimeout)
	defer cancel()
	switch req.Kind {
	case "button":
		_, err = s.emu.ClickTicked(ctx, m, req.ActionID, p.ID, nonEmpty(req.Ticked))
	case "static_select", "overflow":
		_, err = s.emu.Choose(ctx, m, req.ActionID, p.ID, req.Value)
	default:
		err = errors.New("unknown element kind")
	}
	answer(w, err)
}

// serveSubmit presses Submit on the persona's modal. Values are block →
// action → a string (text, option value, date) or a list of option values
// (checkboxes, multi-selects); the emulator refuses a shape its element lacks.
func (s *Sandbox) serveSubmit(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Persona, ViewID string
		Values          map[string]map[string]slackemu.Input
	}
	if !readJSON(w, r, &req) {
		return
	}
	p, err := s.personaOf(req.Persona, "")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), injectTimeout)
	defer cancel()
	_, err = s.emu.SubmitInputs(ctx, req.ViewID, p.ID, req.Values)
	answer(w, err)
}

func (s *Sandbox) serveClose(w http.ResponseWriter, r *http.Request) {
	var req struct{ Persona, ViewID string }
	if !readJSON(w, r, &req) {
		return
	}
	p, err := s.personaOf(req.Persona, "")
	if err == nil {
		err = s.emu.CloseView(req.ViewID, p.ID)
	}
	answer(w, err)
}

// serveHome is the persona opening the app's Home tab: Slack's
// app_home_opened event, after which the bot publishes the tab.
func (s *Sandbox) serveHome(w http.ResponseWriter, r *http.Request) {
	var req struct{ Persona string }
	if !readJSON(w, r, &req) {
		return
	}
	p, err := s.personaOf(req.Persona, "")
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), injectTimeout)
		defer cancel()
		_, err = s.emu.AppHomeOpened(ctx, p.ID)
	}
	answer(w, err)
}
