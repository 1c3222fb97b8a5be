package sandbox

import (
	"strings"
	"testing"
	"time"
)

func testRenderer() *renderer {
	return &renderer{
		names: Names{
			User:    func(id string) string { return map[string]string{"U0SBHELPDESK": "hal"}[id] },
			Channel: func(id string) string { return map[string]string{"C0APPROVALS": "approvals"}[id] },
		},
		now: time.Date(2026, 11, 14, 22, 30, 0, 0, time.UTC),
		loc: time.UTC,
	}
}

func TestMrkdwnRendersAsSlackDoes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		verbatim bool
		want     string
	}{
		{"bold", "*alice* is here", true, "<b>alice</b> is here"},
		{"italic", "status _verified_", true, "status <i>verified</i>"},
		{"strike", "~old~ new", true, "<s>old</s> new"},
		{"nested", "*bold _and italic_*", true, "<b>bold <i>and italic</i></b>"},
		{"no bold inside words", "a***@example.com", true, "a***@example.com"},
		{"no italic in snake_case", "custom_attr_name", true, "custom_attr_name"},
		{"inline code keeps marks", "`*not bold*`", true, `<code class="bk-code">*not bold*</code>`},
		{"code block", "```line 1\nline *2*```", true, `<pre class="bk-pre">line 1` + "\n" + `line *2*</pre>`},
		{"line breaks", "one\ntwo", true, "one<br>two"},
		{"quote", "&gt; quoted\nnot", true, `<blockquote class="bk-quote">quoted</blockquote>not`},
		{"labelled link", "<https://example.com/a?b=1&amp;c=2|the docs>", true, `<a class="bk-link" href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener">the docs</a>`},
		{"bare link", "<https://example.com>", true, `href="https://example.com"`},
		{"bare url autolinked", "see https://example.com/x.", false, `<a class="bk-link" href="https://example.com/x"`},
		{"bare url verbatim", "see https://example.com/x", true, "see https://example.com/x"},
		{"mailto", "<mailto:a@example.com|a@example.com>", true, `href="mailto:a@example.com"`},
		{"javascript link is not a link", "<javascript:alert(1)|click>", true, "click"},
		{"user mention", "by <@U0SBHELPDESK>", true, `by <span class="bk-mention">@hal</span>`},
		{"unknown user mention", "by <@U0NOBODY>", true, `<span class="bk-mention">@U0NOBODY</span>`},
		{"channel mention", "in <#C0APPROVALS>", true, `<span class="bk-mention">#approvals</span>`},
		{"channel mention with label", "in <#C0X|general>", true, `<span class="bk-mention">#general</span>`},
		{"broadcast", "<!here> look", true, `<span class="bk-mention bk-broadcast">@here</span> look`},
		{"user group", "<!subteam^S0PLAT|@platform>", true, `<span class="bk-mention">@platform</span>`},
		{"escaped entities stay text", "&lt;!channel&gt; &amp; co", true, "&lt;!channel&gt; &amp; co"},
		{"unescaped angle brackets are tokens, never markup", "<b>x</b> & <script>", true, "bx/b &amp; script"},
		{"quotes are escaped", `say "hi" 'there'`, true, "say &#34;hi&#34; &#39;there&#39;"},
		{"emoji shortcode", ":white_check_mark: done", true, "✅ done"},
		{"date today", "<!date^1794694380^{date_short_pretty} {time}|2026-11-14 22:13 UTC>", true, ">Today 10:13 PM</time>"},
		{"date long ago", "<!date^1709371800^{date_short_pretty} at {time}|fallback>", true, ">Mar 2, 2024 at 9:30 AM</time>"},
		{"date tokens", "<!date^1709371800^{date_num} {date} {date_long} {time_secs}|x>", true, ">2024-03-02 March 2nd, 2024 Saturday, March 2nd, 2024 9:30:00 AM</time>"},
		{"date with link", "<!date^1709371800^{date_short}^https://example.com|x>", true, `<a class="bk-link" href="https://example.com"`},
		{"bad date falls back", "<!date^soon^{date}|the fallback>", true, "the fallback"},
	}
	r := testRenderer()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := r.mrkdwn(c.in, c.verbatim)
			if !strings.Contains(got, c.want) {
				t.Errorf("mrkdwn(%q)\n got: %s\nwant: …%s…", c.in, got, c.want)
			}
			if strings.Contains(got, "<script") || strings.Contains(got, "\x00") {
				t.Errorf("unsafe or leaked placeholder output: %q", got)
			}
		})
	}
}

func TestPlainTextIsNeverFormatted(t *testing.T) {
	t.Parallel()
	got := testRenderer().plain("*not bold* <@U1> & <b>", true)
	if got != "*not bold* &lt;@U1&gt; &amp; &lt;b&gt;" {
		t.Errorf("plain_text rendered as %q", got)
	}
}
