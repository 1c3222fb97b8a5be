package desk

import (
	"strings"
	"testing"
)

// The fuzz targets below cover what people type and what Slack delivers.
// Plain `go test` runs their seed corpora (here and in testdata/fuzz/); `make
// fuzz` runs each one for FUZZTIME.

// slackEscape is what Slack does to the text a person types before the bot
// sees it (outside links and mentions).
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// FuzzUnwrapSlackText: unwrapping never panics; what a person typed, escaped
// by Slack, comes back exactly; a mailto link becomes its bare address and a
// mention loses its label.
func FuzzUnwrapSlackText(f *testing.F) {
	for _, s := range []string{"alice", "a &lt;b&gt; &amp; c", "&amp;lt;", "<mailto:a@b.c|a@b.c>", "<@U123|bob>", "<#C1|general>",
		"<!subteam^S1|@grp>", "<http://x.y|x.y>", "<tel:+15551234|+1 555 1234>", "<<>>", "<|>", "<@|>", "&amp;amp;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = UnwrapSlackText(s)
		if got := UnwrapSlackText(slackEscape.Replace(s)); got != s {
			t.Fatalf("typed %q, Slack sent %q, unwrapped to %q", s, slackEscape.Replace(s), got)
		}
		if !strings.ContainsAny(s, "<>|") {
			if got := UnwrapSlackText("<mailto:" + s + "|label>"); got != UnwrapSlackText(s) {
				t.Fatalf("mailto %q unwrapped to %q", s, got)
			}
			if got := UnwrapSlackText("<@" + s + "|label>"); got != UnwrapSlackText("<@"+s+">") {
				t.Fatalf("mention %q kept its label: %q", s, got)
			}
		}
	})
}
