package slackemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/webapi"
)

// maxFileSize bounds uploads, as Slack does (1 GB); the emulator keeps files in memory.
const maxFileSize = 1 << 30

// File is a file shared through the two-step external upload, or put by a test as
// if a user had uploaded it.
type File struct {
	ID, Name, Title string
	// Channel is where completeUploadExternal shared it ("" for a private file).
	Channel, ThreadTS, InitialComment string
	Content                           []byte
	// Size and Lines count the whole upload, also when Options.UploadHead
	// kept only its start in Content.
	Size, Lines int
	// URLPrivate downloads it with the bot token.
	URLPrivate string
	// User uploaded it (PutFileBy); "" for the bot's own uploads.
	User    string
	Created time.Time
}

// upload is one step-one reservation of files.getUploadURLExternal.
type upload struct {
	file      File
	length    int
	uploaded  bool
	completed bool
}

// fileState is the files half of the Server's state, guarded by Server.mu.
type fileState struct {
	uploads map[string]*upload // by file id
	files   []File             // shared files, in completion order
}

func (s *Server) initFiles() { s.uploads = map[string]*upload{} }

// filesGetUploadURLExternal reserves a file id and an upload URL for exactly
// length bytes.
func (s *Server) filesGetUploadURLExternal(r *webapi.Request) webapi.Result {
	name := r.Str("filename")
	length, err := strconv.Atoi(r.Str("length"))
	switch {
	case name == "":
		return webapi.Fail("invalid_arguments", "[ERROR] missing required field: filename")
	case err != nil || length <= 0 || length > maxFileSize:
		return webapi.Fail("invalid_arguments", "[ERROR] length must be a positive number of bytes")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := fmt.Sprintf("F%08d", s.seq)
	s.uploads[id] = &upload{file: File{ID: id, Name: name, Title: name}, length: length}
	return webapi.OK(map[string]any{"upload_url": s.base + "/upload/" + id, "file_id": id})
}

// serveUpload receives step two: a POST of the file's bytes (raw or as the one
// file of a multipart form) with the bot token. The size must be the one
// declared in step one, and a file is uploaded once.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !s.botAuthorized(r) {
		http.Error(w, "invalid_auth", http.StatusUnauthorized)
		return
	}
	content, size, lines, err := readUploadBody(r, s.opts.UploadHead)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up, ok := s.uploads[id]
	switch {
	case !ok:
		http.Error(w, "unknown upload", http.StatusNotFound)
	case up.uploaded:
		http.Error(w, "already uploaded", http.StatusBadRequest)
	case size != up.length:
		http.Error(w, fmt.Sprintf("declared %d bytes, received %d", up.length, size), http.StatusBadRequest)
	default:
		up.uploaded, up.file.Content, up.file.Size, up.file.Lines = true, content, size, lines
		s.notifyLocked()
		w.Header().Set("Content-Type", "text/plain")
		_, _ = fmt.Fprintf(w, "OK - %d", size)
	}
}

// readUploadBody reads the file of an upload POST as it streams in: all of
// it, or only its first head bytes when head > 0, counting its size and lines.
func readUploadBody(r *http.Request, head int) (content []byte, size, lines int, err error) {
	body := io.Reader(r.Body)
	ctype, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.HasPrefix(ctype, "multipart/") {
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				return nil, 0, 0, fmt.Errorf("multipart body without a file: %w", err)
			}
			if part.FileName() != "" {
				body = part
				break
			}
		}
	}
	var kept bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		n, rerr := body.Read(buf)
		chunk := buf[:n]
		size += n
		lines += bytes.Count(chunk, []byte{'\n'})
		if size > maxFileSize {
			return nil, 0, 0, fmt.Errorf("file larger than %d bytes", maxFileSize)
		}
		if head <= 0 {
			kept.Write(chunk)
		} else if room := head - kept.Len(); room > 0 {
			kept.Write(chunk[:min(room, n)])
		}
		if rerr == io.EOF {
			return kept.Bytes(), size, lines, nil
		}
		if rerr != nil {
			return nil, 0, 0, rerr
		}
	}
}

func (s *Server) botAuthorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && token == s.opts.BotToken
}

// filesCompleteUploadExternal shares uploaded files: every id must have been
// reserved, uploaded and not completed yet.
func (s *Server) filesCompleteUploadExternal(r *webapi.Request) webapi.Result {
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal(r.Raw("files"), &files); err != nil || len(files) == 0 {
		return webapi.Fail("invalid_arguments", "[ERROR] files must be a non-empty JSON array of {id, title}")
	}
	channel := r.Str("channel_id")
	if channel != "" && !strings.ContainsAny(channel[:1], "CDG") {
		return webapi.Fail("channel_not_found")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range files {
		up, ok := s.uploads[f.ID]
		switch {
		case !ok:
			return webapi.Fail("file_not_found")
		case !up.uploaded:
			return webapi.Fail("file_upload_not_complete")
		case up.completed:
			return webapi.Fail("file_already_completed")
		}
	}
	out := make([]map[string]any, 0, len(files))
	for _, f := range files {
		up := s.uploads[f.ID]
		up.completed = true
		file := up.file
		if f.Title != "" {
			file.Title = f.Title
		}
		file.Channel, file.ThreadTS, file.InitialComment = channel, r.Str("thread_ts"), r.Str("initial_comment")
		file.URLPrivate = s.base + "/files/" + file.ID + "/" + file.Name
		file.Created = time.Now()
		s.files = append(s.files, file)
		out = append(out, map[string]any{"id": file.ID, "title": file.Title})
	}
	s.notifyLocked()
	return webapi.OK(map[string]any{"files": out})
}

// serveFile lets the bot download a file's url_private, with its token only.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	if !s.botAuthorized(r) {
		http.Error(w, "invalid_auth", http.StatusForbidden)
		return
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/files/"), "/")
	s.mu.Lock()
	var content []byte
	found := false
	for _, f := range s.files {
		if f.ID == id {
			content, found = f.Content, true
		}
	}
	s.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(content)
}

// Files returns the files the bot shared so far, in order (not the ones users
// uploaded with PutFileBy).
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, 0, len(s.files))
	for _, f := range s.files {
		if f.User != "" {
			continue
		}
		f.Content = bytes.Clone(f.Content)
		out = append(out, f)
	}
	return out
}

// PutFileBy stores a file userID uploaded, to attach to a modal's file_input
// (SubmitView with its id). It is private: Files lists only shared files.
func (s *Server) PutFileBy(userID, name string, content []byte) File {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	f := File{ID: fmt.Sprintf("F%08d", s.seq), Name: name, Title: name, Content: bytes.Clone(content), Created: time.Now(), User: userID}
	f.URLPrivate = s.base + "/files/" + f.ID + "/" + name
	s.files = append(s.files, f)
	return f
}

// userFileLocked finds a file userID uploaded (PutFileBy), for a file_input.
func (s *Server) userFileLocked(userID string) func(id string) (blockkit.UploadedFile, bool) {
	return func(id string) (blockkit.UploadedFile, bool) {
		for _, f := range s.files {
			if f.ID == id && f.User == userID && f.User != "" {
				return blockkit.UploadedFile{ID: f.ID, Name: f.Name, Title: f.Title, URLPrivate: f.URLPrivate, User: f.User, Size: len(f.Content)}, true
			}
		}
		return blockkit.UploadedFile{}, false
	}
}
