package config

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// manifest is the part of deploy/slack-app-manifest.yaml the bot relies on.
type manifest struct {
	Features struct {
		AppHome struct {
			MessagesTab         bool `yaml:"messages_tab_enabled"`
			MessagesTabReadOnly bool `yaml:"messages_tab_read_only_enabled"`
			HomeTab             bool `yaml:"home_tab_enabled"`
		} `yaml:"app_home"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			UsageHint    string `yaml:"usage_hint"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	Settings struct {
		EventSubscriptions struct {
			BotEvents []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
	} `yaml:"settings"`
}

// TestManifestSlashCommand checks the shipped Slack app manifest against what
// the bot expects: mentions arrive escaped (<@U…>, an id nobody can spoof by
// renaming themselves, instead of a display name), and Slack's autocomplete
// hint names every command a user can type.
func TestManifestSlashCommand(t *testing.T) {
	data, err := os.ReadFile("../../deploy/slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Features.SlashCommands) != 1 {
		t.Fatalf("manifest has %d slash commands, want 1", len(m.Features.SlashCommands))
	}
	cmd := m.Features.SlashCommands[0]
	if cmd.Command != DefaultCommand {
		t.Errorf("command = %q, want %q (slack.command's default)", cmd.Command, DefaultCommand)
	}
	if !cmd.ShouldEscape {
		t.Error("should_escape is false: @name would arrive as plain text instead of <@U…>")
	}
	for _, a := range AllActions {
		if !regexp.MustCompile(`(^|[\s|])` + regexp.QuoteMeta(string(a)) + `($|[\s|])`).MatchString(cmd.UsageHint) {
			t.Errorf("usage_hint %q does not list %s", cmd.UsageHint, a)
		}
	}
	if !regexp.MustCompile(`audit[^|]*--actor`).MatchString(cmd.UsageHint) {
		t.Errorf("usage_hint %q does not show audit --actor", cmd.UsageHint)
	}
}

// Results, progress and CSVs are sent by direct message: without the app's
// Messages tab, people could not see them.
func TestManifestShowsTheBotsDirectMessages(t *testing.T) {
	data, err := os.ReadFile("../../deploy/slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if home := m.Features.AppHome; !home.MessagesTab || !home.MessagesTabReadOnly {
		t.Errorf("app_home = %+v; want the Messages tab on and read-only (the bot reads no DMs)", home)
	}
	if !m.Features.AppHome.HomeTab || !slices.Contains(m.Settings.EventSubscriptions.BotEvents, "app_home_opened") {
		t.Errorf("the Home tab needs home_tab_enabled and the app_home_opened event: %+v %+v", m.Features.AppHome, m.Settings)
	}
}
