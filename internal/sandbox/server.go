package sandbox

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed static
var staticFiles embed.FS

// injectTimeout bounds how long a page request waits for the bot's socket.
const injectTimeout = 10 * time.Second

// routes registers the page and its JSON API in one block.
func (s *Sandbox) routes() http.Handler {
	static, _ := fs.Sub(staticFiles, "static")
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /api/setup", s.serveSetup)
	mux.HandleFunc("GET /api/state", s.serveState)
	mux.HandleFunc("POST /api/command", s.serveCommand)
	mux.HandleFunc("POST /api/action", s.serveAction)
	mux.HandleFunc("POST /api/home", s.serveHome)
	mux.HandleFunc("POST /api/submit", s.serveSubmit)
	mux.HandleFunc("POST /api/close", s.serveClose)
	mux.HandleFunc("POST /api/file", s.serveUpload)
	mux.HandleFunc("GET /api/files/{id}", s.serveDownload)
	return mux
}

// channel is one conversation in the page's sidebar.
type channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // "channel" or "dm"
}

// channelsOf lists what a persona sees: the two channels and their DM with the bot.
func (s *Sandbox) channelsOf(persona string) []channel {
	return []channel{
		{ID: ChannelSupport, Name: "support", Kind: "channel"},
		{ID: ChannelApprovals, Name: "approvals", Kind: "channel"},
		{ID: s.emu.DMChannel(persona), Name: "cognito-bot", Kind: "dm"},
		{ID: ChannelHome, Name: "Home (cognito-bot)", Kind: "home"},
	}
}

func (s *Sandbox) serveSetup(w http.ResponseWriter, _ *http.Request) {
	type tryUser struct {
		Username string `json:"username"`
		Status   string `json:"status"`
		Note     string `json:"note"`
	}
	var try []tryUser
	for _, p := range s.back.People {
		if p.Note != "" {
			try = append(try, tryUser{p.Username, p.Status, p.Note})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"personas": Personas, "config": s.yaml, "backend": s.back.Description,
		"command": s.cfg.Slack.Command, "users": len(s.back.People), "try": try,
	})
}

// personaOf validates the persona and channel a request names.
func (s *Sandbox) personaOf(personaID, channelID string) (Persona, error) {
	p, ok := personaByID(personaID)
	if !ok {
		return p, errors.New("unknown persona")
	}
	if channelID == "" {
		return p, nil
	}
	for _, c := range s.channelsOf(p.ID) {
		if c.ID == channelID {
			return p, nil
		}
	}
	return p, errors.New("unknown channel")
}

// serveState returns what the persona sees now, rendered. The page polls it;
// when nothing changed since the version it sends, it gets 204 and no body.
func (s *Sandbox) serveState(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := s.personaOf(q.Get("persona"), q.Get("channel"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	rend := s.renderer()
	channels := s.channelsOf(p.ID)
	counts := map[string]int{}
	for _, c := range channels {
		counts[c.ID] = len(s.emu.Visible(c.ID, p.ID))
	}
	messages := rend.messagesHTML(s.emu.Visible(q.Get("channel"), p.ID), p.ID) + filesHTML(s.sharedIn(q.Get("channel")), p.ID)
	if q.Get("channel") == ChannelHome {
		messages = rend.homeHTML(s.emu.HomeView(p.ID))
	}
	state := map[string]any{
		"channels": channels, "counts": counts,
		"messages": messages,
		"audit":    rend.auditHTML(s.feed.Recent(100)),
		"modal":    nil,
	}
	if v, ok := s.emu.OpenView(p.ID); ok {
		state["modal"] = map[string]any{"id": v.ID, "html": rend.modalHTML(v), "errors": v.Errors}
	}
	body, _ := json.Marshal(state)
	sum := sha256.Sum256(body)
	version := hex.EncodeToString(sum[:8])
	if q.Get("since") == version {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-State-Version", version)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	return readJSONUpTo(w, r, v, 64<<10)
}

// readJSONUpTo decodes a request body of at most limit bytes.
func readJSONUpTo(w http.ResponseWriter, r *http.Request, v any, limit int64) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request body"})
		return false
	}
	return true
}

func answer(w http.ResponseWriter, err error) {
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": strings.TrimPrefix(err.Error(), "slackemu: ")})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// nonEmpty keeps the checkbox groups with something ticked: an unticked group
// is no state at all, as in Slack.
func nonEmpty(ticked map[string][]string) map[string][]string {
	out := map[string][]string{}
	for id, vs := range ticked {
		if len(vs) > 0 {
			out[id] = vs
		}
	}
	return out
}
