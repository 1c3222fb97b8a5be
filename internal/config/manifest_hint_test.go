package config

import (
	"flag"
	"os"
	"regexp"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

var updateManifest = flag.Bool("update", false, "rewrite what the action table generates: the usage_hint of deploy/slack-app-manifest.yaml, and the action lists of README.md and cognito-bot.example.yaml")

const manifestPath = "../../deploy/slack-app-manifest.yaml"

// usageHintLine is the manifest's usage_hint line, the part -update rewrites.
var usageHintLine = regexp.MustCompile(`(?m)^(\s*usage_hint: ).*$`)

// The manifest's usage_hint is declared once, in the action table: an action
// added there shows in Slack's autocomplete without a second edit.
func TestManifestUsageHintIsGeneratedFromTheActionTable(t *testing.T) {
	data, err := os.ReadFile(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	want := actions.UsageHint()
	if *updateManifest {
		if len(usageHintLine.FindAll(data, -1)) != 1 {
			t.Fatal("the manifest does not have exactly one usage_hint line")
		}
		out := usageHintLine.ReplaceAllFunc(data, func(line []byte) []byte {
			return append(usageHintLine.FindSubmatch(line)[1], strconv.Quote(want)...)
		})
		if err := os.WriteFile(manifestPath, out, 0o644); err != nil {
			t.Fatal(err)
		}
		data = out
	}
	var m manifest
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Features.SlashCommands) != 1 {
		t.Fatalf("manifest has %d slash commands, want 1", len(m.Features.SlashCommands))
	}
	if got := m.Features.SlashCommands[0].UsageHint; got != want {
		t.Errorf("deploy/slack-app-manifest.yaml's usage_hint is out of date with internal/actions; run: go test ./internal/config -run Manifest -update\n got: %s\nwant: %s", got, want)
	}
}
