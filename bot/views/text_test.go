package views

import (
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
		if got := Escape(tt.in); got != tt.want {
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
		if got := Truncate(tt.in, tt.max); got != tt.want {
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
		got := EscTrunc(tt.in, tt.max)
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
