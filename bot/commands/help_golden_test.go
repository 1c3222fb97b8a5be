package commands

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// updateGolden rewrites bot/commands/testdata/help.golden.json: go test ./bot/commands -run Golden -update
var updateGolden = flag.Bool("update", false, "rewrite golden files under testdata/")

// TestGoldenHelp renders /cognito help from the real command registry, so a
// changed command name, usage line or summary shows up as a golden diff.
func TestGoldenHelp(t *testing.T) {
	var entries []views.HelpEntry
	for _, c := range NewRegistry() {
		entries = append(entries, c.help())
	}
	m := views.HelpList(entries, "/cognito")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <@U…> and &lt; readable in the file
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"text": m.Text, "blocks": m.Blocks}); err != nil {
		t.Fatalf("marshal: %v", err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", "help.golden.json")
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("help differs from %s; run go test ./bot -run Golden -update and review the diff\ngot:\n%s", path, got)
	}
}
