package views

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// TestLimitsChecker makes sure the mrkdwn check the view tests lean on
// (viewstest.MrkdwnProblem) catches what it should. It lives here, beside
// the tests that use it, so the helper package needs no test binary of its own.
func TestLimitsChecker(t *testing.T) {
	for _, s := range []string{"<!channel>", "hi <https://x.y|z>", "a & b", "&am", "x > y", "<@U1|name>", "<!date^1|x"} {
		if viewstest.MrkdwnProblem(s) == "" {
			t.Errorf("MrkdwnProblem(%q) = \"\", want a problem", s)
		}
	}
	for _, s := range []string{"&lt;!channel&gt; &amp; *x*", "<@U0123ABCD> at <!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>", "<#C042>"} {
		if p := viewstest.MrkdwnProblem(s); p != "" {
			t.Errorf("MrkdwnProblem(%q) = %q, want none", s, p)
		}
	}
}
