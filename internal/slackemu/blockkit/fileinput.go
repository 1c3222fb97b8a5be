package blockkit

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// UploadedFile is what a file_input's state shows of a file the user
// uploaded: the emulator's file store hands these to StateValues.
type UploadedFile struct {
	ID, Name, Title, URLPrivate, User string
	Size                              int
}

// fileInputValue renders a file_input's submitted files the way Slack does
// (state.values[block][action].files, each with its id, name, size and the
// url_private the bot downloads with its token). The ids must be files the
// submitting user uploaded, no more than max_files (default 10), of one of
// the element's filetypes when it lists some.
func fileInputValue(el map[string]any, ids []string, file func(id string) (UploadedFile, bool)) (map[string]any, error) {
	files := []any{}
	maxFiles := 10
	if n, ok := el["max_files"].(float64); ok {
		maxFiles = int(n)
	}
	if len(ids) > maxFiles {
		return nil, fmt.Errorf("%d files; max_files is %d", len(ids), maxFiles)
	}
	var types []string
	if ft, ok := el["filetypes"].([]any); ok {
		for _, t := range ft {
			s, _ := t.(string)
			types = append(types, strings.ToLower(s))
		}
	}
	for _, id := range ids {
		f, ok := file(id)
		if !ok {
			return nil, fmt.Errorf("no file %q uploaded by this user", id)
		}
		ext := strings.TrimPrefix(strings.ToLower(path.Ext(f.Name)), ".")
		if len(types) > 0 && !slices.Contains(types, ext) {
			return nil, fmt.Errorf("file %s is of type %q; the input accepts %v", f.Name, ext, types)
		}
		files = append(files, map[string]any{
			"id": f.ID, "name": f.Name, "title": f.Title, "filetype": ext, "mimetype": "text/" + ext, "size": f.Size,
			"url_private": f.URLPrivate, "url_private_download": f.URLPrivate, "user": f.User,
		})
	}
	return map[string]any{"type": "file_input", "files": files}, nil
}
