package viewstest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/slack-go/slack"
)

// update rewrites the golden files: go test ./bot/views/... -run Golden -update
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// GoldenJSON is v as a golden file holds it: indented, with <@U…> and &lt;
// left readable (no HTML escaping).
func GoldenJSON(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return buf.Bytes()
}

// MessageJSON is a message as its golden file holds it: its fallback text and
// its blocks, as GoldenJSON writes them.
func MessageJSON(t testing.TB, text string, blocks []slack.Block) []byte {
	t.Helper()
	return GoldenJSON(t, map[string]any{"text": text, "blocks": blocks})
}

// Golden compares got with testdata/NAME.golden.json, or writes it there when
// the test runs with -update.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
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
		t.Errorf("%s differs from %s; run go test ./bot/views/... -run Golden -update and review the diff\ngot:\n%s", name, path, got)
	}
}
