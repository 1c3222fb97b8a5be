package config

import "testing"

// A ticket pattern that does not compile, a link that is not https or has no
// {id}, and anchors too frequent or to a non-channel are named by check-config.
func TestValidateTicketsAndAnchors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   []string
	}{
		{"valid", func(c *Config) {
			c.Tickets = Tickets{Pattern: `[A-Z]+-\d+`, URL: "https://jira.example.com/browse/{id}"}
			c.Audit.AnchorChannel = "C0AUDIT"
		}, nil},
		{"pattern does not compile", func(c *Config) { c.Tickets.Pattern = `[A-Z+-\d+` },
			[]string{"tickets.pattern: \"[A-Z+-\\\\d+\" is not a regular expression"}},
		{"pattern matches nothing at all", func(c *Config) { c.Tickets.Pattern = `\d*` },
			[]string{"tickets.pattern: \"\\\\d*\" matches empty text"}},
		{"url over http", func(c *Config) {
			c.Tickets = Tickets{Pattern: `[A-Z]+-\d+`, URL: "http://jira.example.com/browse/{id}"}
		}, []string{"tickets.url: must be an https:// link"}},
		{"url without id", func(c *Config) {
			c.Tickets = Tickets{Pattern: `[A-Z]+-\d+`, URL: "https://jira.example.com/browse/"}
		}, []string{"tickets.url: must contain {id}"}},
		{"id in the host name", func(c *Config) {
			c.Tickets = Tickets{Pattern: `\S+`, URL: "https://{id}/browse"}
		}, []string{"tickets.url: must put {id} in the path or query"}},
		{"id right after the host", func(c *Config) {
			// "@evil.example" as an id would make jira.example.com a user name.
			c.Tickets = Tickets{Pattern: `\S+`, URL: "https://jira.example.com{id}"}
		}, []string{"tickets.url: must put {id} in the path or query"}},
		{"url with a user name", func(c *Config) {
			c.Tickets = Tickets{Pattern: `[A-Z]+-\d+`, URL: "https://bot@jira.example.com/browse/{id}"}
		}, []string{"tickets.url: must not carry a user name"}},
		{"id in the query", func(c *Config) {
			c.Tickets = Tickets{Pattern: `[A-Z]+-\d+`, URL: "https://jira.example.com?ticket={id}"}
		}, nil},
		{"url without pattern", func(c *Config) { c.Tickets.URL = "https://jira.example.com/browse/{id}" },
			[]string{"tickets.url: needs tickets.pattern"}},
		{"anchors too often", func(c *Config) { c.Audit.AnchorEvery = Duration(1e9) },
			[]string{"audit.anchor_every: must be at least 5m"}},
		{"anchor channel by name", func(c *Config) { c.Audit.AnchorChannel = "#audit" },
			[]string{"audit.anchor_channel: \"#audit\" is not a Slack channel id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.mutate(c)
			assertProblems(t, c.Validate(), tt.want)
		})
	}
	if c := validConfig(); c.Audit.AnchorEvery.Std().String() != "1h0m0s" {
		t.Errorf("anchor_every defaults to %v, want 1h", c.Audit.AnchorEvery.Std())
	}
}

func TestTicketLinks(t *testing.T) {
	tk := Tickets{Pattern: `[A-Z]+-\d+`, URL: "https://jira.example.com/browse/{id}"}
	if got := tk.Link("INC-42"); got != "https://jira.example.com/browse/INC-42" {
		t.Errorf("Link = %q", got)
	}
	if got := tk.Link("a/b c"); got != "https://jira.example.com/browse/a%2Fb%20c" {
		t.Errorf("Link escapes the id as %q", got)
	}
	if (Tickets{}).Regexp() != nil || tk.Regexp() == nil {
		t.Error("Regexp")
	}
}
