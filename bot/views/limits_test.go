package views

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// botToken matches the only <…> constructs the bot itself may put in mrkdwn:
// user and channel mentions built from Slack IDs and date tokens.
// The ticket links the golden views make (goldenTickets) are the bot's too.
var botToken = regexp.MustCompile(`^<(@[UW][A-Z0-9]+|#C[A-Z0-9]+|!date\^\d+\^\{[^|<>]*\|[^<>]*|https://jira\.example\.com/browse/[A-Z]+-\d+\|[A-Z]+-\d+)>`)

// nextAmp returns the index of the next "&" after index i in s, or -1.
func nextAmp(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '&')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// checkMrkdwn fails if s could ping, link or otherwise be parsed by Slack in a
// way the bot did not intend.
func checkMrkdwn(t *testing.T, where, s string) {
	t.Helper()
	if p := mrkdwnProblem(s); p != "" {
		t.Errorf("%s: %s", where, p)
	}
}

// mrkdwnProblem reports what is unsafe in s, or "": every "<" must open a
// bot-built token and every "&" must start one of the three entities.
func mrkdwnProblem(s string) string {
	rest := s
	for {
		i := strings.IndexAny(rest, "<>")
		if i < 0 {
			break
		}
		m := botToken.FindString(rest[i:])
		if m == "" {
			return fmt.Sprintf("raw %q in mrkdwn near %q", rest[i], Truncate(rest[max(0, i-20):], 60))
		}
		rest = rest[i+len(m):]
	}
	for i := strings.IndexByte(s, '&'); i >= 0; i = nextAmp(s, i) {
		if !strings.HasPrefix(s[i:], "&amp;") && !strings.HasPrefix(s[i:], "&lt;") && !strings.HasPrefix(s[i:], "&gt;") {
			return fmt.Sprintf("unescaped & in mrkdwn near %q", Truncate(s[i:], 40))
		}
	}
	return ""
}

func runes(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

func textOf(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["text"].(string)
	return s
}

// checkLimits fails if m breaks a Block Kit limit or carries unescaped user
// text in mrkdwn (slack-platform.md §7).
func checkLimits(t *testing.T, m Message) {
	t.Helper()
	if n := utf8.RuneCountInString(m.Text); n == 0 || n > maxFallbackLen {
		t.Errorf("fallback text length %d, want 1..%d", n, maxFallbackLen)
	}
	checkMrkdwn(t, "text", m.Text)
	checkBlocks(t, m.Blocks, maxBlocks)
}

// checkModalLimits is checkLimits for a modal view.
func checkModalLimits(t *testing.T, v slack.ModalViewRequest) {
	t.Helper()
	for name, obj := range map[string]*slack.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
		if obj == nil || obj.Type != slack.PlainTextType || runes(obj.Text) > 24 {
			t.Errorf("modal %s = %+v, want plain_text of at most 24 chars", name, obj)
		}
	}
	if runes(v.PrivateMetadata) > 3000 || runes(v.CallbackID) > 255 {
		t.Errorf("modal private_metadata %d / callback_id %d chars", runes(v.PrivateMetadata), runes(v.CallbackID))
	}
	checkBlocks(t, v.Blocks.BlockSet, 100)
}

func checkBlocks(t *testing.T, blocks []slack.Block, maxN int) {
	t.Helper()
	if len(blocks) == 0 || len(blocks) > maxN {
		t.Errorf("%d blocks, want 1..%d", len(blocks), maxN)
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatalf("marshal blocks: %v", err)
	}
	var decoded []any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for i, b := range decoded {
		blk := b.(map[string]any)
		where := fmt.Sprintf("block %d (%v)", i, blk["type"])
		if id, ok := blk["block_id"].(string); ok && id != "" {
			if runes(id) > 255 || ids[id] {
				t.Errorf("%s: block_id %q too long or repeated", where, Truncate(id, 40))
			}
			ids[id] = true
		}
		elems, _ := blk["elements"].([]any)
		switch blk["type"] {
		case "header":
			if n := runes(textOf(blk["text"])); n > maxHeaderLen {
				t.Errorf("%s: header text %d chars", where, n)
			}
		case "section":
			if _, ok := blk["text"]; !ok && blk["fields"] == nil {
				t.Errorf("%s: section without text or fields", where)
			}
			fields, _ := blk["fields"].([]any)
			if len(fields) > maxFields {
				t.Errorf("%s: %d fields", where, len(fields))
			}
			for _, f := range fields {
				if n := runes(textOf(f)); n > maxFieldLen {
					t.Errorf("%s: field of %d chars", where, n)
				}
			}
		case "context":
			if len(elems) == 0 || len(elems) > maxContextElems {
				t.Errorf("%s: %d context elements", where, len(elems))
			}
		case "actions":
			if len(elems) == 0 || len(elems) > 25 {
				t.Errorf("%s: %d action elements", where, len(elems))
			}
		}
		walk(t, where, blk)
	}
}

// walk checks every object nested in v: text objects, buttons, confirms.
func walk(t *testing.T, where string, v any) {
	t.Helper()
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			walk(t, where, e)
		}
	case map[string]any:
		switch v["type"] {
		case "mrkdwn", "plain_text":
			s, _ := v["text"].(string)
			if n := utf8.RuneCountInString(s); n == 0 || n > maxTextLen {
				t.Errorf("%s: text object of %d chars", where, n)
			}
			if v["type"] == "mrkdwn" {
				if v["verbatim"] != true {
					t.Errorf("%s: mrkdwn without verbatim: %q", where, Truncate(s, 60))
				}
				checkMrkdwn(t, where, s)
			}
		case "button":
			if n := runes(textOf(v["text"])); n > maxButtonTextLen {
				t.Errorf("%s: button text %d chars", where, n)
			}
			if n := runes(v["value"]); n > maxButtonValue {
				t.Errorf("%s: button value %d chars", where, n)
			}
			if c, ok := v["confirm"].(map[string]any); ok {
				for key, lim := range map[string]int{"title": maxConfirmTitle, "text": maxConfirmText, "confirm": maxConfirmButton, "deny": maxConfirmButton} {
					if n := runes(textOf(c[key])); n == 0 || n > lim {
						t.Errorf("%s: confirm %s of %d chars, want 1..%d", where, key, n, lim)
					}
				}
			}
		}
		if n := runes(v["action_id"]); n > 255 {
			t.Errorf("%s: action_id %d chars", where, n)
		}
		for _, e := range v {
			walk(t, where, e)
		}
	}
}

func TestLimitsHostileViews(t *testing.T) {
	for name, m := range hostileMessages() {
		t.Run(name, func(t *testing.T) { checkLimits(t, m) })
	}
	t.Run("notice_trusted", func(t *testing.T) {
		m := TrustedNotice(strings.Repeat("<@U0123ABCD> did a thing. ", 500))
		checkLimits(t, m)
	})
	t.Run("reason_modal", func(t *testing.T) {
		checkModalLimits(t, ReasonModal(hostile(5000), hostile(300), Words{}, hostile(300)))
	})
}

func TestLimitsGoldenViews(t *testing.T) {
	for name, v := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			switch v := v.(type) {
			case Message:
				checkLimits(t, v)
			case slack.ModalViewRequest:
				checkModalLimits(t, v)
			}
		})
	}
}

// TestLimitsChecker makes sure the mrkdwn check itself catches what it should.
func TestLimitsChecker(t *testing.T) {
	for _, s := range []string{"<!channel>", "hi <https://x.y|z>", "a & b", "&am", "x > y", "<@U1|name>", "<!date^1|x"} {
		if mrkdwnProblem(s) == "" {
			t.Errorf("mrkdwnProblem(%q) = \"\", want a problem", s)
		}
	}
	for _, s := range []string{"&lt;!channel&gt; &amp; *x*", "<@U0123ABCD> at <!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>", "<#C042>"} {
		if p := mrkdwnProblem(s); p != "" {
			t.Errorf("mrkdwnProblem(%q) = %q, want none", s, p)
		}
	}
}
