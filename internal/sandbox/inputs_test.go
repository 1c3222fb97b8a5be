package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGoldenCreateFormReadsLikeSlack(t *testing.T) {
	t.Parallel()
	html := testRenderer().blocks(readGolden(t, "create_modal.golden.json"), inModal)
	for _, want := range []string{
		`<label class="bk-label">Groups <span class="bk-optional">(optional)</span></label>`,
		`<details class="bk-multi" data-block-id="groups" data-action-id="value" data-kind="multi_static_select" data-shape="list">`,
		`<span class="bk-chips"></span><span class="bk-placeholder">Choose groups</span>`,
		`<label class="bk-menu-option"><input type="checkbox" name="groups/value" value="0"><span>admins</span></label>`,
		`<label class="bk-menu-option"><input type="checkbox" name="groups/value" value="1"><span>support</span></label>`,
		`<div class="bk-choices" data-block-id="invite" data-action-id="value" data-kind="checkboxes" data-shape="list" role="group">`,
		`<input type="checkbox" name="invite/value" value="suppress"><span class="bk-choice-body"><span class="bk-choice-text">Don&#39;t send an invitation; show me a temporary password</span>`,
		`<span class="bk-choice-desc">Shown once, only to you. Give it to them over a channel you trust.</span>`,
		`name="username/value" data-block-id="username" data-action-id="value" data-kind="plain_text_input" data-shape="text" data-required placeholder="e.g. alice" value="" maxlength="128" required>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the create form lacks %s\n%s", want, html)
		}
	}
	if strings.Contains(html, "checked") {
		t.Error("the create form ticks something the view did not preselect")
	}
}

func TestGoldenEditFormReadsLikeSlack(t *testing.T) {
	t.Parallel()
	html := testRenderer().blocks(readGolden(t, "edit_modal.golden.json"), inModal)
	for _, want := range []string{
		`name="attr:email/value" data-block-id="attr:email" data-action-id="value" data-kind="plain_text_input" data-shape="text" placeholder="" value="alice@example.com"`,
		`value="Alice" maxlength="2048">`,
		`<input type="checkbox" name="verified/value" value="email"><span class="bk-choice-body"><span class="bk-choice-text">Mark a changed email as verified</span></span></label>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the edit form lacks %s\n%s", want, html)
		}
	}
	if strings.Contains(html, "data-required") {
		t.Error("every field of the edit form is optional, yet one is marked required")
	}
}

func TestChoiceInputsShowTheirInitialValues(t *testing.T) {
	t.Parallel()
	opts := `[{"text":{"type":"plain_text","text":"Red"},"value":"r"},{"text":{"type":"mrkdwn","text":"*Green*"},"value":"g"}]`
	cases := []struct {
		name, element string
		want          []string
		not           []string
	}{
		{"checkboxes with initial options", `{"type":"checkboxes","action_id":"a","options":` + opts + `,"initial_options":[{"text":{"type":"mrkdwn","text":"*Green*"},"value":"g"}]}`,
			[]string{`<input type="checkbox" name="b/a" value="r"><span`, `<input type="checkbox" name="b/a" value="g" checked><span class="bk-choice-body"><span class="bk-choice-text"><b>Green</b></span>`}, nil},
		{"radio buttons", `{"type":"radio_buttons","action_id":"a","options":` + opts + `,"initial_option":{"text":{"type":"plain_text","text":"Red"},"value":"r"}}`,
			[]string{`data-kind="radio_buttons" data-shape="one" data-required role="group">`, `<input type="radio" name="b/a" value="r" checked>`, `<input type="radio" name="b/a" value="g">`}, nil},
		{"multi select with groups and initial options", `{"type":"multi_static_select","action_id":"a","max_selected_items":2,"option_groups":[{"label":{"type":"plain_text","text":"Warm"},"options":` + opts + `}],"initial_options":[{"text":{"type":"plain_text","text":"Red"},"value":"r"}]}`,
			[]string{`data-shape="list" data-required data-max="2">`, `<span class="bk-chips"><span class="bk-chip" data-value="r">Red</span></span><span class="bk-placeholder">Select items</span>`,
				`<div class="bk-menu-group">Warm</div>`, `<input type="checkbox" name="b/a" value="r" checked><span>Red</span>`, `<input type="checkbox" name="b/a" value="g"><span><b>Green</b></span>`}, nil},
		{"datepicker", `{"type":"datepicker","action_id":"a","initial_date":"2025-03-01","placeholder":{"type":"plain_text","text":"When"}}`,
			[]string{`<input class="bk-dateinput" type="date" name="b/a" data-block-id="b" data-action-id="a" data-kind="datepicker" data-shape="text" data-required required value="2025-03-01" aria-label="When">`}, nil},
		{"select input keeps its initial option", `{"type":"static_select","action_id":"a","options":` + opts + `,"initial_option":{"text":{"type":"plain_text","text":"Red"},"value":"r"}}`,
			[]string{`<option value="r" selected>Red</option>`}, []string{`value="g" selected`}},
		{"unknown input element", `{"type":"rich_text_input","action_id":"a"}`, []string{`data-unsupported="rich_text_input"`}, nil},
	}
	r := testRenderer()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			blocks := `[{"type":"input","block_id":"b","label":{"type":"plain_text","text":"Pick"},"element":` + c.element + `}]`
			html := r.blocks(json.RawMessage(blocks), inModal)
			for _, w := range c.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s\nin %s", w, html)
				}
			}
			for _, w := range c.not {
				if strings.Contains(html, w) {
					t.Errorf("unexpected %s\nin %s", w, html)
				}
			}
		})
	}
}
