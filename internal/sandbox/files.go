package sandbox

import (
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// maxUpload bounds a file a persona attaches to a form, as the bot bounds
// what it downloads.
const maxUpload = 5 << 20

// serveUpload stores a file the persona attached to a modal's file input, as
// Slack's client uploads it before the form is submitted; the answer is the
// file id the form then carries.
func (s *Sandbox) serveUpload(w http.ResponseWriter, r *http.Request) {
	var req struct{ Persona, Name, Content string } // Content: base64
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload*4/3+4096)
	if !readJSONUpTo(w, r, &req, maxUpload*4/3+4096) {
		return
	}
	p, err := s.personaOf(req.Persona, "")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	content, err := base64.StdEncoding.DecodeString(req.Content)
	name := strings.TrimSpace(req.Name)
	if err != nil || name == "" || len(content) > maxUpload {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the file could not be read (at most 5 MB)"})
		return
	}
	f := s.emu.PutFileBy(p.ID, name, content)
	writeJSON(w, http.StatusOK, map[string]string{"id": f.ID})
}

// sharedIn is the files the bot shared in channel, oldest first.
func (s *Sandbox) sharedIn(channel string) []slackemu.File {
	var out []slackemu.File
	for _, f := range s.emu.Files() {
		if f.Channel == channel && channel != "" {
			out = append(out, f)
		}
	}
	return out
}

// serveDownload hands a persona a file the bot shared in one of its channels.
func (s *Sandbox) serveDownload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := s.personaOf(q.Get("persona"), "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := r.PathValue("id")
	for _, c := range s.channelsOf(p.ID) {
		i := slices.IndexFunc(s.sharedIn(c.ID), func(f slackemu.File) bool { return f.ID == id })
		if i < 0 {
			continue
		}
		f := s.sharedIn(c.ID)[i]
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(f.Name, `"`, "")+`"`)
		_, _ = w.Write(f.Content)
		return
	}
	http.NotFound(w, r)
}

// filesHTML shows the files shared in a conversation, each with the comment
// it was shared with and a download link, as Slack shows a file share.
func filesHTML(files []slackemu.File, persona string) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString(`<div class="msg-group"><div class="msg file-share">`)
		if f.InitialComment != "" {
			b.WriteString(`<div class="msg-text">` + html.EscapeString(f.InitialComment) + `</div>`)
		}
		link := "/api/files/" + f.ID + "?persona=" + url.QueryEscape(persona)
		b.WriteString(`<div class="file-card">📄 <a href="` + html.EscapeString(link) + `" download>` + html.EscapeString(f.Name) +
			`</a> <span class="bk-hint">` + strconv.Itoa(len(f.Content)) + ` bytes</span></div></div></div>`)
	}
	return b.String()
}
