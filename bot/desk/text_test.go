package desk

import (
	"reflect"
	"strings"
	"testing"
)

func TestUnwrapSlackText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"<mailto:a@b.c|a@b.c>", "a@b.c"},
		{"lookup <mailto:alice@example.com|alice@example.com> --public", "lookup alice@example.com --public"},
		{"<tel:+15551234|+1 555 1234>", "+15551234"},
		{"<http://x.y|x.y>", "x.y"},
		{"<http://x.y>", "http://x.y"},
		{"<https://example.com/a?b=1&amp;c=2>", "https://example.com/a?b=1&c=2"},
		{"<@U123|name>", "<@U123>"},
		{"<@U123>", "<@U123>"},
		{"<#C123|general>", "<#C123>"},
		{"<!subteam^S1|@grp>", "<!subteam^S1>"},
		{"<!here>", "<!here>"},
		{"a &lt;b&gt; &amp; c", "a <b> & c"},
		{"&amp;lt;", "&lt;"},
		{"--reason “too many” <@U9|bob>", "--reason “too many” <@U9>"},
	}
	for _, tt := range tests {
		if got := UnwrapSlackText(tt.in); got != tt.want {
			t.Errorf("UnwrapSlackText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"", nil, ""},
		{"   ", nil, ""},
		{"lookup alice", []string{"lookup", "alice"}, ""},
		{"  lookup \t alice\n--public ", []string{"lookup", "alice", "--public"}, ""},
		{"lookup\u00a0alice", []string{"lookup", "alice"}, ""},
		{`disable alice --reason "too many logins"`, []string{"disable", "alice", "--reason", "too many logins"}, ""},
		{`--reason 'two words'`, []string{"--reason", "two words"}, ""},
		{"--reason “smart quotes here”", []string{"--reason", "smart quotes here"}, ""},
		{"--reason ‘single smart’", []string{"--reason", "single smart"}, ""},
		{`--reason="a b" x`, []string{"--reason=a b", "x"}, ""},
		{`say "" x`, []string{"say", "", "x"}, ""},
		{`"it's fine"`, []string{"it's fine"}, ""},
		{"O'Brien and O’Brien", []string{"O'Brien", "and", "O’Brien"}, ""},
		{`"a b"c`, []string{"a bc"}, ""},
		{`--reason "never closed`, nil, "unterminated quote"},
		{"--reason “never closed", nil, "unterminated quote"},
		{`'`, nil, "unterminated quote"},
	}
	for _, tt := range tests {
		got, err := SplitArgs(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("SplitArgs(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestTextUserIDFromMention(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"<@U123ABC>", "U123ABC", true},
		{"<@U123ABC|alice>", "U123ABC", true},
		{"U123ABC", "U123ABC", true},
		{" W0ENTERPRISE ", "W0ENTERPRISE", true},
		{"<#C123>", "", false},
		{"alice", "", false},
		{"<@u123>", "", false},
		{"<!channel>", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := UserIDFromMention(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("UserIDFromMention(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
