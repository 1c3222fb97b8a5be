package slackemu

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// TestSubpackagesImportOnlyWhatTheReadmeSays keeps the emulator's layers
// apart: the Block Kit model and the Web API plumbing need only the standard
// library, the Socket Mode transport adds gorilla/websocket, and none of them
// reaches back into the Server.
func TestSubpackagesImportOnlyWhatTheReadmeSays(t *testing.T) {
	t.Parallel()
	allowed := map[string][]string{
		"blockkit": nil,
		"webapi":   nil,
		"socket":   {"github.com/gorilla/websocket"},
	}
	for dir, extra := range allowed {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			if strings.Contains(strings.Split(imp, "/")[0], ".") && !slices.Contains(extra, imp) {
				t.Errorf("internal/slackemu/%s imports %s", dir, imp)
			}
		}
	}
}
