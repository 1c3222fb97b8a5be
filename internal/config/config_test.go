package config

import (
	"fmt"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"15m", 15 * time.Minute, false},
		{"1h30m", 90 * time.Minute, false},
		{"8760h", 8760 * time.Hour, false},
		{"365d", 365 * 24 * time.Hour, false},
		{" 1d ", 24 * time.Hour, false},
		{"-5m", -5 * time.Minute, false},
		{"15", 0, true},
		{"1.5d", 0, true},
		{"1d2h", 0, true},
		{"99999999999999999d", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err != nil) != tt.wantErr || got.Std() != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDurationString(t *testing.T) {
	for d, want := range map[Duration]string{
		Duration(5 * time.Minute):              "5m",
		Duration(8760 * time.Hour):             "8760h",
		Duration(90 * time.Minute):             "1h30m",
		Duration(30 * time.Second):             "30s",
		Duration(time.Hour + 5*time.Second):    "1h0m5s",
		Duration(1500 * time.Millisecond):      "1.5s",
		Duration(24*time.Hour + time.Minute*1): "24h1m",
	} {
		if got := d.String(); got != want {
			t.Errorf("Duration(%d).String() = %q, want %q", int64(d), got, want)
		}
		var back Duration
		if err := yaml.Unmarshal([]byte(fmt.Sprintf("%q", d.String())), &back); err != nil || back != d {
			t.Errorf("round trip of %q = %v, %v", d.String(), back, err)
		}
	}
}

func TestActions(t *testing.T) {
	for _, a := range AllActions {
		if !a.Known() {
			t.Errorf("%q.Known() = false", a)
		}
	}
	// Which actions are destructive is written out by hand once, as the
	// policy's answer (confirm) in internal/policy's matrix; here, that the
	// config's actions read it from the table, and nothing else claims it.
	for _, s := range actions.All() {
		if s.Action.Destructive() != s.Destructive {
			t.Errorf("%q.Destructive() = %v, the table says %v", s.Action, s.Action.Destructive(), s.Destructive)
		}
	}
	if len(actions.All()) != len(AllActions) {
		t.Errorf("AllActions has %d actions, the table %d", len(AllActions), len(actions.All()))
	}
	if AnyAction.Known() || Action("Delete").Known() {
		t.Error("the wildcard and wrong case must not be known actions")
	}
	if AnyAction.Destructive() || Action("Delete").Destructive() {
		t.Error("the wildcard and wrong case must not read as destructive")
	}
}

func TestConfigHelpers(t *testing.T) {
	c := validConfig()
	if p := c.DefaultPool(); p.Name != "prod" {
		t.Errorf("DefaultPool() = %q, want prod", p.Name)
	}
	if p, ok := c.PoolByName("staging"); !ok || p.ID != "us-east-2_StG4gE987" {
		t.Errorf("PoolByName(staging) = %+v, %v", p, ok)
	}
	if _, ok := c.PoolByName("dev"); ok {
		t.Error("PoolByName(dev) found a pool")
	}
	if (&Config{}).DefaultPool() != (Pool{}) {
		t.Error("DefaultPool() of an empty config is not the zero Pool")
	}
}

func TestStringNeverPrintsTokens(t *testing.T) {
	c := validConfig()
	c.Slack.AppToken, c.Slack.BotToken = "xapp-SECRET1", "xoxb-SECRET2"
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, *c, c.Slack} {
			if out := fmt.Sprintf(format, v); strings.Contains(out, "SECRET") {
				t.Errorf("Sprintf(%q, %T) leaks a token:\n%s", format, v, out)
			}
		}
	}
	out := c.String()
	for _, want := range []string{"SLACK_APP_TOKEN: set", "id: eu-west-1_AbCdEf123", "expiry: 15m"} {
		if !strings.Contains(out, want) {
			t.Errorf("String() lacks %q:\n%s", want, out)
		}
	}
	if b, err := yaml.Marshal(c); err != nil || strings.Contains(string(b), "SECRET") {
		t.Errorf("yaml.Marshal leaks a token or fails: %v", err)
	}
}

func TestStringLoadsBack(t *testing.T) {
	c := validConfig()
	got, err := Load(writeConfig(t, c.String()), goodEnv())
	if err != nil {
		t.Fatalf("Load(String()): %v", err)
	}
	got.Path, got.Slack.AppToken, got.Slack.BotToken = "", c.Slack.AppToken, c.Slack.BotToken
	if got.String() != c.String() {
		t.Errorf("round trip changed the config:\n%s\nwant:\n%s", got, c)
	}
}
