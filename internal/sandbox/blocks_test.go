package sandbox

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goldenFiles are the Block Kit payloads the bot's views produce.
func goldenFiles(t *testing.T) []string {
	t.Helper()
	// Every golden view under bot/, wherever its package keeps it: a view
	// moved to a new package stays checked here.
	var files []string
	err := filepath.WalkDir("../../bot", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".golden.json") && filepath.Base(filepath.Dir(path)) == "testdata" {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden view files found under bot/")
	}
	return files
}

// elementCounts counts what a Block Kit payload contains, by element type.
func elementCounts(v any, counts map[string]int) {
	switch x := v.(type) {
	case map[string]any:
		if typ, ok := x["type"].(string); ok {
			counts[typ]++
			if _, ok := x["confirm"].(map[string]any); ok {
				counts["confirm dialog"]++
			}
		}
		for _, child := range x {
			elementCounts(child, counts)
		}
	case []any:
		for _, child := range x {
			elementCounts(child, counts)
		}
	}
}

var tagCount = func(html, pattern string) int { return len(regexp.MustCompile(pattern).FindAllStringIndex(html, -1)) }

// TestEveryGoldenViewRendersCompletely renders each view the bot produces and
// checks that every block and element shows up as its own HTML, with nothing
// unsupported and every piece of text present.
func TestEveryGoldenViewRendersCompletely(t *testing.T) {
	t.Parallel()
	r := testRenderer()
	for _, path := range goldenFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var payload struct {
				Type   string          `json:"type"`
				Blocks json.RawMessage `json:"blocks"`
			}
			if err := json.Unmarshal(raw, &payload); err != nil {
				t.Fatal(err)
			}
			where := inMessage
			if payload.Type == "modal" {
				where = inModal
			}
			html := r.blocks(payload.Blocks, where)
			if strings.Contains(html, "bk-unsupported") {
				t.Fatalf("a golden view renders an unsupported box:\n%s", html)
			}
			var blocks any
			_ = json.Unmarshal(payload.Blocks, &blocks)
			counts := map[string]int{}
			elementCounts(blocks, counts)
			for typ, pattern := range map[string]string{
				"header": `class="bk-block bk-header"`, "section": `class="bk-block bk-section"`,
				"context": `class="bk-block bk-context"`, "divider": `class="bk-block bk-divider"`,
				"actions": `class="bk-block bk-actions"`, "input": `class="bk-block bk-input"`,
				"button": `<button type="button" class="bk-button[^"]*" data-block-id`, "plain_text_input": `<(textarea|input) class="bk-text`,
				"static_select": `<select class="bk-select"[^>]* data-kind="static_select"`, "overflow": `<details class="bk-overflow">`,
				"multi_static_select": `<details class="bk-multi" [^>]*data-kind="multi_static_select" data-shape="list"`,
				"checkboxes":          `<div class="bk-choices" [^>]*data-kind="checkboxes" data-shape="list"`,
				"radio_buttons":       `<div class="bk-choices" [^>]*data-kind="radio_buttons" data-shape="one"`,
				"datepicker":          `<input class="bk-dateinput" type="date" [^>]*data-kind="datepicker" data-shape="text"`,
			} {
				if got := tagCount(html, pattern); got != counts[typ] {
					t.Errorf("%d %s in the JSON, %d rendered", counts[typ], typ, got)
				}
			}
			if got := tagCount(html, `<template class="bk-confirm">`); got != counts["confirm dialog"] {
				t.Errorf("%d confirm dialogs in the JSON, %d rendered", counts["confirm dialog"], got)
			}
			// Every plain text survives rendering (escaped as HTML would show it).
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case map[string]any:
					if x["type"] == "plain_text" {
						if s, _ := x["text"].(string); !strings.Contains(html, r.plain(s, true)) {
							t.Errorf("plain text %q is missing", s)
						}
					}
					for _, c := range x {
						walk(c)
					}
				case []any:
					for _, c := range x {
						walk(c)
					}
				}
			}
			walk(blocks)
		})
	}
}

func TestGoldenLookupCardReadsLikeSlack(t *testing.T) {
	t.Parallel()
	raw := readGolden(t, "lookup.golden.json")
	html := testRenderer().blocks(raw, inMessage)
	for _, want := range []string{
		`<div class="bk-block bk-header" data-block-id="">alice</div>`,
		`<div class="bk-field"><b>Email</b><br>alice@example.com · <i>verified</i></div>`,
		`<code class="bk-code">CONFIRMED</code>`,
		`<code class="bk-code">custom:tenant</code>  acme &amp; co`,
		`class="bk-button bk-danger" data-block-id="card_actions" data-action-id="card:disable" data-kind="button" data-value="ses_1"`,
		`<div class="bk-dialog-title">Disable alice?</div>`,
		`data-dialog="confirm">Disable</button>`,
		`<time class="bk-date"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the lookup card lacks %s\n%s", want, html)
		}
	}
}

func readGolden(t *testing.T, name string) json.RawMessage {
	t.Helper()
	for _, path := range goldenFiles(t) {
		if filepath.Base(path) == name {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var p struct {
				Blocks json.RawMessage `json:"blocks"`
			}
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatal(err)
			}
			return p.Blocks
		}
	}
	t.Fatalf("no golden %s", name)
	return nil
}

// TestElementsTheViewsDoNotUseYet covers the rest of what the renderer supports,
// so a new view can use it and look right on the page.
func TestElementsTheViewsDoNotUseYet(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, blocks string
		where        surface
		want         []string
	}{
		{"divider", `[{"type":"divider","block_id":"d"}]`, inMessage, []string{`bk-divider" data-block-id="d"><hr>`}},
		{"section accessory button", `[{"type":"section","block_id":"s","text":{"type":"mrkdwn","text":"*hi*"},"accessory":{"type":"button","action_id":"go","text":{"type":"plain_text","text":"Go"},"style":"primary","value":"v"}}]`, inMessage,
			[]string{`<div class="bk-text"><b>hi</b></div>`, `<div class="bk-accessory">`, `class="bk-button bk-primary" data-block-id="s" data-action-id="go" data-kind="button" data-value="v"`}},
		{"link button", `[{"type":"actions","elements":[{"type":"button","action_id":"open","text":{"type":"plain_text","text":"Docs"},"url":"https://example.com/docs"}]}]`, inMessage,
			[]string{`data-url="https://example.com/docs"`}},
		{"static select", `[{"type":"actions","block_id":"a","elements":[{"type":"static_select","action_id":"pick","placeholder":{"type":"plain_text","text":"Choose a pool"},"initial_option":{"text":{"type":"plain_text","text":"Staging"},"value":"staging"},"option_groups":[{"label":{"type":"plain_text","text":"EU"},"options":[{"text":{"type":"plain_text","text":"Prod"},"value":"prod"},{"text":{"type":"plain_text","text":"Staging"},"value":"staging"}]}]}]}]`, inMessage,
			[]string{`<select class="bk-select" data-block-id="a" data-action-id="pick" data-kind="static_select">`, `<option value="" disabled>Choose a pool</option>`, `<optgroup label="EU">`, `<option value="staging" selected>Staging</option>`}},
		{"overflow", `[{"type":"section","block_id":"s","text":{"type":"plain_text","text":"x"},"accessory":{"type":"overflow","action_id":"more","options":[{"text":{"type":"plain_text","text":"Copy sub"},"value":"copy"},{"text":{"type":"plain_text","text":"Audit"},"value":"audit"}]}}]`, inMessage,
			[]string{`<details class="bk-overflow">`, `data-action-id="more" data-kind="overflow" data-value="copy">Copy sub</button>`, `data-value="audit">Audit</button>`}},
		{"confirm with danger style", `[{"type":"actions","elements":[{"type":"button","action_id":"x","text":{"type":"plain_text","text":"Delete"},"style":"danger","confirm":{"title":{"type":"plain_text","text":"Sure?"},"text":{"type":"mrkdwn","text":"This *deletes* it."},"confirm":{"type":"plain_text","text":"Delete"},"deny":{"type":"plain_text","text":"Keep"},"style":"danger"}}]}]`, inMessage,
			[]string{`<div class="bk-dialog-title">Sure?</div>`, `<div class="bk-dialog-text">This <b>deletes</b> it.</div>`, `data-dialog="deny">Keep</button>`, `class="bk-button bk-danger" data-dialog="confirm">Delete</button>`}},
		{"context with image", `[{"type":"context","elements":[{"type":"image","image_url":"https://example.com/a.png","alt_text":"logo"},{"type":"plain_text","text":"note"}]}]`, inMessage,
			[]string{`<img class="bk-context-img" src="https://example.com/a.png" alt="logo">`, `<span class="bk-context-text">note</span>`}},
		{"text input", `[{"type":"input","block_id":"r","label":{"type":"plain_text","text":"Reason"},"optional":true,"hint":{"type":"plain_text","text":"Shown to approvers"},"element":{"type":"plain_text_input","action_id":"t","min_length":3,"max_length":50,"initial_value":"hi"}}]`, inModal,
			[]string{`<label class="bk-label">Reason <span class="bk-optional">(optional)</span></label>`, `<input class="bk-textinput" type="text" name="r/t" data-block-id="r" data-action-id="t" data-kind="plain_text_input" data-shape="text" placeholder="" value="hi" maxlength="50" minlength="3">`, `<div class="bk-hint">Shown to approvers</div>`, `data-error-for="r"`}},
		{"file input", `[{"type":"input","block_id":"f","label":{"type":"plain_text","text":"CSV of users"},"element":{"type":"file_input","action_id":"file","filetypes":["csv","txt"],"max_files":1}}]`, inModal,
			[]string{`<input type="file" data-block-id="f" data-action-id="file" data-kind="file_input" data-shape="file" data-required accept=".csv,.txt">`}},
		{"select input", `[{"type":"input","block_id":"p","label":{"type":"plain_text","text":"Pool"},"element":{"type":"static_select","action_id":"pool","options":[{"text":{"type":"plain_text","text":"Prod"},"value":"prod"}]}}]`, inModal,
			[]string{`<select class="bk-select" name="p/pool" data-block-id="p" data-action-id="pool" data-kind="static_select" data-shape="text" data-required required><option value="">Select an item</option>`, `<option value="prod">Prod</option>`}},
		{"input outside a modal", `[{"type":"input","label":{"type":"plain_text","text":"x"},"element":{"type":"plain_text_input"}}]`, inMessage,
			[]string{`data-unsupported="input"`}},
		{"unknown block", `[{"type":"rich_text","elements":[]}]`, inMessage, []string{`<div class="bk-unsupported" data-unsupported="rich_text">⚠ unsupported element: <code>rich_text</code> block</div>`}},
		{"unknown element", `[{"type":"actions","elements":[{"type":"datepicker","action_id":"d"}]}]`, inMessage, []string{`data-unsupported="datepicker"`}},
		{"unknown text object", `[{"type":"section","text":{"type":"markdown","text":"x"}}]`, inMessage, []string{`data-unsupported="markdown"`}},
		{"not a list", `{"type":"section"}`, inMessage, []string{`data-unsupported="blocks"`}},
		{"hostile ids are escaped", `[{"type":"actions","block_id":"\"><script>","elements":[{"type":"button","action_id":"\"x","text":{"type":"plain_text","text":"<b>"},"value":"'"}]}]`, inMessage,
			[]string{`data-block-id="&#34;&gt;&lt;script&gt;"`, `data-action-id="&#34;x"`, `data-value="&#39;"`, `>&lt;b&gt;</button>`}},
	}
	r := testRenderer()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			html := r.blocks(json.RawMessage(c.blocks), c.where)
			for _, w := range c.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s\nin %s", w, html)
				}
			}
			if strings.Contains(html, "<script") {
				t.Errorf("markup leaked: %s", html)
			}
		})
	}
}
