package viewstest

import "testing"

// TestLimitsChecker makes sure the mrkdwn check itself catches what it should.
func TestLimitsChecker(t *testing.T) {
	for _, s := range []string{"<!channel>", "hi <https://x.y|z>", "a & b", "&am", "x > y", "<@U1|name>", "<!date^1|x"} {
		if MrkdwnProblem(s) == "" {
			t.Errorf("MrkdwnProblem(%q) = \"\", want a problem", s)
		}
	}
	for _, s := range []string{"&lt;!channel&gt; &amp; *x*", "<@U0123ABCD> at <!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>", "<#C042>"} {
		if p := MrkdwnProblem(s); p != "" {
			t.Errorf("MrkdwnProblem(%q) = %q, want none", s, p)
		}
	}
}
