package viewstest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Block Kit limits (Slack's documentation; slack-platform.md §7).
const (
	maxBlocks        = 50
	maxModalBlocks   = 100
	maxTextLen       = 3000
	maxFields        = 10
	maxFieldLen      = 2000
	maxHeaderLen     = 150
	maxButtonTextLen = 75
	maxButtonValue   = 2000
	maxContextElems  = 10
	maxFallbackLen   = 4000
	maxConfirmTitle  = 100
	maxConfirmText   = 300
	maxConfirmButton = 30
)

// truncate cuts s to max runes, for readable failure messages.
func truncate(s string, max int) string {
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

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
func checkMrkdwn(t testing.TB, where, s string) {
	t.Helper()
	if p := MrkdwnProblem(s); p != "" {
		t.Errorf("%s: %s", where, p)
	}
}

// MrkdwnProblem reports what is unsafe in s, or "": every "<" must open a
// bot-built token and every "&" must start one of the three entities.
func MrkdwnProblem(s string) string {
	rest := s
	for {
		i := strings.IndexAny(rest, "<>")
		if i < 0 {
			break
		}
		m := botToken.FindString(rest[i:])
		if m == "" {
			return fmt.Sprintf("raw %q in mrkdwn near %q", rest[i], truncate(rest[max(0, i-20):], 60))
		}
		rest = rest[i+len(m):]
	}
	for i := strings.IndexByte(s, '&'); i >= 0; i = nextAmp(s, i) {
		if !strings.HasPrefix(s[i:], "&amp;") && !strings.HasPrefix(s[i:], "&lt;") && !strings.HasPrefix(s[i:], "&gt;") {
			return fmt.Sprintf("unescaped & in mrkdwn near %q", truncate(s[i:], 40))
		}
	}
	return ""
}

// Runes is the length in runes of v when it is a string (0 otherwise).
func Runes(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

// TextOf is the text of a decoded text object ("" when v is none).
func TextOf(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["text"].(string)
	return s
}

// CheckMessage fails if a message (its fallback text and blocks) breaks a
// Block Kit limit or carries unescaped user text in mrkdwn (slack-platform.md §7).
func CheckMessage(t testing.TB, text string, blocks []slack.Block) {
	t.Helper()
	if n := utf8.RuneCountInString(text); n == 0 || n > maxFallbackLen {
		t.Errorf("fallback text length %d, want 1..%d", n, maxFallbackLen)
	}
	checkMrkdwn(t, "text", text)
	checkBlocks(t, blocks, maxBlocks)
}

// CheckModal is CheckMessage for a modal view.
func CheckModal(t testing.TB, v slack.ModalViewRequest) {
	t.Helper()
	for name, obj := range map[string]*slack.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
		if obj == nil || obj.Type != slack.PlainTextType || Runes(obj.Text) > 24 {
			t.Errorf("modal %s = %+v, want plain_text of at most 24 chars", name, obj)
		}
	}
	if Runes(v.PrivateMetadata) > 3000 || Runes(v.CallbackID) > 255 {
		t.Errorf("modal private_metadata %d / callback_id %d chars", Runes(v.PrivateMetadata), Runes(v.CallbackID))
	}
	checkBlocks(t, v.Blocks.BlockSet, maxModalBlocks)
}

// checkBlocks checks a list of at most maxN blocks, each within its limits.
func checkBlocks(t testing.TB, blocks []slack.Block, maxN int) {
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
			if Runes(id) > 255 || ids[id] {
				t.Errorf("%s: block_id %q too long or repeated", where, truncate(id, 40))
			}
			ids[id] = true
		}
		elems, _ := blk["elements"].([]any)
		switch blk["type"] {
		case "header":
			if n := Runes(TextOf(blk["text"])); n > maxHeaderLen {
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
				if n := Runes(TextOf(f)); n > maxFieldLen {
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
func walk(t testing.TB, where string, v any) {
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
					t.Errorf("%s: mrkdwn without verbatim: %q", where, truncate(s, 60))
				}
				checkMrkdwn(t, where, s)
			}
		case "button":
			if n := Runes(TextOf(v["text"])); n > maxButtonTextLen {
				t.Errorf("%s: button text %d chars", where, n)
			}
			if n := Runes(v["value"]); n > maxButtonValue {
				t.Errorf("%s: button value %d chars", where, n)
			}
			if c, ok := v["confirm"].(map[string]any); ok {
				for key, lim := range map[string]int{"title": maxConfirmTitle, "text": maxConfirmText, "confirm": maxConfirmButton, "deny": maxConfirmButton} {
					if n := Runes(TextOf(c[key])); n == 0 || n > lim {
						t.Errorf("%s: confirm %s of %d chars, want 1..%d", where, key, n, lim)
					}
				}
			}
		}
		if n := Runes(v["action_id"]); n > 255 {
			t.Errorf("%s: action_id %d chars", where, n)
		}
		for _, e := range v {
			walk(t, where, e)
		}
	}
}

// CheckInputs checks the limits of inputs and selects, which checkBlocks does
// not look at: option count, text and value, initial values within max_length.
func CheckInputs(t testing.TB, blocks []slack.Block) {
	t.Helper()
	raw, _ := json.Marshal(blocks)
	var bs []map[string]any
	_ = json.Unmarshal(raw, &bs)
	for i, b := range bs {
		if id, _ := b["block_id"].(string); Runes(id) > 255 {
			t.Errorf("block %d: block_id of %d chars", i, Runes(id))
		}
		el, _ := b["element"].(map[string]any)
		if el == nil {
			continue
		}
		if lbl, _ := b["label"].(map[string]any); Runes(lbl["text"]) > 2000 || Runes(lbl["text"]) == 0 {
			t.Errorf("block %d: label of %d chars", i, Runes(lbl["text"]))
		}
		if ph, _ := el["placeholder"].(map[string]any); ph != nil && Runes(ph["text"]) > 150 {
			t.Errorf("block %d: placeholder of %d chars", i, Runes(ph["text"]))
		}
		if iv, ok := el["initial_value"].(string); ok {
			if ml, _ := el["max_length"].(float64); Runes(iv) > int(ml) || ml > 3000 {
				t.Errorf("block %d: initial_value %d chars, max_length %v", i, Runes(iv), ml)
			}
		}
		opts, _ := el["options"].([]any)
		limit := 100
		if el["type"] == "checkboxes" {
			limit = 10
		}
		if len(opts) > limit {
			t.Errorf("block %d: %d options", i, len(opts))
		}
		for _, o := range opts {
			om := o.(map[string]any)
			txt := om["text"].(map[string]any)
			if Runes(txt["text"]) > 75 || Runes(om["value"]) > 150 {
				t.Errorf("block %d: option text %d / value %d chars", i, Runes(txt["text"]), Runes(om["value"]))
			}
		}
	}
}
