package bot

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"alice", "alice"},
		{"<!channel> *x*", "&lt;!channel&gt; *x*"},
		{"a & b", "a &amp; b"},
		{"&amp;", "&amp;amp;"},
		{`"quotes" and 'apostrophes' stay`, `"quotes" and 'apostrophes' stay`},
		{"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextTruncate(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"alice", 10, "alice"},
		{"alice", 5, "alice"},
		{"alice", 4, "ali…"},
		{"héllo wörld", 6, "héllo…"},
		{"日本語テキスト", 3, "日本…"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.max); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestTextEscTrunc(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"a<b", 10, "a&lt;b"},
		{"a<b", 6, "a&lt;b"},
		{"a<bc", 6, "a&lt;…"},
		{"a<bc", 5, "a…"}, // never half an entity
		{"&&&&", 11, "&amp;&amp;…"},
	}
	for _, tt := range tests {
		got := escTrunc(tt.in, tt.max)
		if got != tt.want || utf8.RuneCountInString(got) > tt.max {
			t.Errorf("escTrunc(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestTextTruncateMrkdwn(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"hi <@U0123ABCD> there", 8, "hi …"},
		{"x &amp; y", 5, "x …"},
		{"x &amp; y", 8, "x &amp;…"},
	}
	for _, tt := range tests {
		if got := truncateMrkdwn(tt.in, tt.max); got != tt.want {
			t.Errorf("truncateMrkdwn(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

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
		if got := unwrapSlackText(tt.in); got != tt.want {
			t.Errorf("unwrapSlackText(%q) = %q, want %q", tt.in, got, tt.want)
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
		got, err := splitArgs(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("splitArgs(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"alice@example.com", "a***@example.com"},
		{"a@example.com", "a***@example.com"},
		{"élodie@example.fr", "é***@example.fr"},
		{"@example.com", "***@example.com"},
		{"not-an-email", "n***"},
	}
	for _, tt := range tests {
		if got := maskEmail(tt.in); got != tt.want {
			t.Errorf("maskEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"+12025550100", "+1******0100"},
		{"+44 20 7946 0958", "+4*******0958"},
		{"5550100", "*****00"},
		{"12", "*2"},
		{"no digits", ""},
	}
	for _, tt := range tests {
		if got := maskPhone(tt.in); got != tt.want {
			t.Errorf("maskPhone(%q) = %q, want %q", tt.in, got, tt.want)
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
		got, ok := userIDFromMention(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("userIDFromMention(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
