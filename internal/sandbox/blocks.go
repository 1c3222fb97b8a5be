package sandbox

import (
	"encoding/json"
	"html"
	"strings"
)

// obj is one decoded Block Kit object. Blocks stay generic maps so that types
// the renderer does not know survive decoding and can be shown as unsupported.
type obj = map[string]any

func str(o obj, k string) string { s, _ := o[k].(string); return s }
func sub(o obj, k string) obj    { m, _ := o[k].(map[string]any); return m }
func list(o obj, k string) []obj {
	raw, _ := o[k].([]any)
	out := make([]obj, 0, len(raw))
	for _, x := range raw {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// surface says where blocks are drawn: messages take actions, modals take inputs.
type surface int

const (
	inMessage surface = iota
	inModal
)

// blocks renders a Block Kit array. A payload that is not an array is shown
// as one unsupported box rather than dropped.
func (r *renderer) blocks(raw json.RawMessage, where surface) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var bs []obj
	if err := json.Unmarshal(raw, &bs); err != nil {
		return unsupported("blocks", "not a list of blocks")
	}
	var b strings.Builder
	for _, blk := range bs {
		b.WriteString(r.block(blk, where))
	}
	return b.String()
}

func (r *renderer) block(blk obj, where surface) string {
	id := html.EscapeString(str(blk, "block_id"))
	wrap := func(class, inner string) string {
		return `<div class="bk-block ` + class + `" data-block-id="` + id + `">` + inner + `</div>`
	}
	switch typ := str(blk, "type"); typ {
	case "header":
		return wrap("bk-header", r.text(sub(blk, "text")))
	case "divider":
		return wrap("bk-divider", "<hr>")
	case "section":
		return wrap("bk-section", r.section(blk))
	case "context":
		var parts []string
		for _, el := range list(blk, "elements") {
			parts = append(parts, r.contextElement(el))
		}
		return wrap("bk-context", strings.Join(parts, ""))
	case "actions":
		var parts []string
		for _, el := range list(blk, "elements") {
			parts = append(parts, r.element(el, str(blk, "block_id")))
		}
		return wrap("bk-actions", strings.Join(parts, ""))
	case "input":
		if where != inModal {
			return wrap("bk-unsupported-wrap", unsupported("input", "input blocks only work in modals"))
		}
		return wrap("bk-input", r.input(blk))
	case "image":
		return wrap("bk-image", r.image(blk))
	default:
		return wrap("bk-unsupported-wrap", unsupported(typ, "block"))
	}
}

// text renders a text object by its type.
func (r *renderer) text(t obj) string {
	if t == nil {
		return ""
	}
	switch str(t, "type") {
	case "plain_text":
		emoji, set := t["emoji"].(bool)
		return r.plain(str(t, "text"), emoji || !set)
	case "mrkdwn":
		verbatim, _ := t["verbatim"].(bool)
		return r.mrkdwn(str(t, "text"), verbatim)
	}
	return unsupported(str(t, "type"), "text object")
}

func (r *renderer) section(blk obj) string {
	var b strings.Builder
	b.WriteString(`<div class="bk-section-main">`)
	if t := sub(blk, "text"); t != nil {
		b.WriteString(`<div class="bk-text">` + r.text(t) + `</div>`)
	}
	if fields := list(blk, "fields"); len(fields) > 0 {
		b.WriteString(`<div class="bk-fields">`)
		for _, f := range fields {
			b.WriteString(`<div class="bk-field">` + r.text(f) + `</div>`)
		}
		b.WriteString(`</div>`)
	}
	b.WriteString(`</div>`)
	if acc := sub(blk, "accessory"); acc != nil {
		b.WriteString(`<div class="bk-accessory">` + r.element(acc, str(blk, "block_id")) + `</div>`)
	}
	return b.String()
}

func (r *renderer) contextElement(el obj) string {
	switch str(el, "type") {
	case "image":
		return `<img class="bk-context-img" src="` + html.EscapeString(str(el, "image_url")) + `" alt="` + html.EscapeString(str(el, "alt_text")) + `">`
	case "plain_text", "mrkdwn":
		return `<span class="bk-context-text">` + r.text(el) + `</span>`
	}
	return unsupported(str(el, "type"), "context element")
}

func (r *renderer) image(blk obj) string {
	out := ""
	if t := sub(blk, "title"); t != nil {
		out = `<div class="bk-image-title">` + r.text(t) + `</div>`
	}
	return out + `<img src="` + html.EscapeString(str(blk, "image_url")) + `" alt="` + html.EscapeString(str(blk, "alt_text")) + `">`
}

// element renders an interactive element. data-* attributes carry exactly what
// a click sends back; the page never invents an action.
func (r *renderer) element(el obj, blockID string) string {
	ids := ` data-block-id="` + html.EscapeString(blockID) + `" data-action-id="` + html.EscapeString(str(el, "action_id")) + `"`
	switch typ := str(el, "type"); typ {
	case "button":
		return r.button(el, ids)
	case "static_select":
		return r.staticSelect(el, ids)
	case "overflow":
		return r.overflow(el, ids)
	case "checkboxes":
		// Ticking sends nothing; the boxes' state goes with the next click in
		// the message, as in Slack.
		f := field{r: r, el: el, typ: typ, ids: ids, name: html.EscapeString(blockID + "/" + str(el, "action_id"))}
		return f.choices("checkbox", "list")
	case "image":
		return `<img class="bk-accessory-img" src="` + html.EscapeString(str(el, "image_url")) + `" alt="` + html.EscapeString(str(el, "alt_text")) + `">`
	default:
		return unsupported(typ, "element")
	}
}

func (r *renderer) button(el obj, ids string) string {
	class := "bk-button"
	if s := str(el, "style"); s == "primary" || s == "danger" {
		class += " bk-" + s
	}
	attrs := ids + ` data-kind="button" data-value="` + html.EscapeString(str(el, "value")) + `"`
	if u := str(el, "url"); u != "" && safeURL(u) {
		attrs += ` data-url="` + html.EscapeString(u) + `"`
	}
	out := `<button type="button" class="` + class + `"` + attrs + `>` + r.text(sub(el, "text")) + `</button>`
	return `<span class="bk-el">` + out + r.confirm(sub(el, "confirm")) + `</span>`
}

// confirm renders a confirmation dialog as a template the page opens before
// sending the action, as the Slack client does.
func (r *renderer) confirm(c obj) string {
	if c == nil {
		return ""
	}
	style := str(c, "style")
	confirmLabel, denyLabel := "Yes", "Cancel"
	if t := sub(c, "confirm"); t != nil {
		confirmLabel = r.text(t)
	}
	if t := sub(c, "deny"); t != nil {
		denyLabel = r.text(t)
	}
	confirmClass := "bk-button bk-primary"
	if style == "danger" {
		confirmClass = "bk-button bk-danger"
	}
	return `<template class="bk-confirm"><div class="bk-dialog-title">` + r.text(sub(c, "title")) + `</div>` +
		`<div class="bk-dialog-text">` + r.text(sub(c, "text")) + `</div>` +
		`<div class="bk-dialog-buttons"><button type="button" class="bk-button" data-dialog="deny">` + denyLabel + `</button>` +
		`<button type="button" class="` + confirmClass + `" data-dialog="confirm">` + confirmLabel + `</button></div></template>`
}

// options renders the options (or option groups) of a select.
func (r *renderer) options(el obj, selected string) string {
	var b strings.Builder
	opt := func(o obj) {
		v := str(o, "value")
		sel := ""
		if v == selected && selected != "" {
			sel = " selected"
		}
		b.WriteString(`<option value="` + html.EscapeString(v) + `"` + sel + `>` + html.EscapeString(str(sub(o, "text"), "text")) + `</option>`)
	}
	for _, o := range list(el, "options") {
		opt(o)
	}
	for _, g := range list(el, "option_groups") {
		b.WriteString(`<optgroup label="` + html.EscapeString(str(sub(g, "label"), "text")) + `">`)
		for _, o := range list(g, "options") {
			opt(o)
		}
		b.WriteString(`</optgroup>`)
	}
	return b.String()
}

func (r *renderer) staticSelect(el obj, ids string) string {
	selected := str(sub(el, "initial_option"), "value")
	placeholder := "Select an item"
	if p := sub(el, "placeholder"); p != nil {
		placeholder = str(p, "text")
	}
	out := `<select class="bk-select"` + ids + ` data-kind="static_select">` +
		`<option value="" disabled` + map[bool]string{true: " selected", false: ""}[selected == ""] + `>` + html.EscapeString(placeholder) + `</option>` +
		r.options(el, selected) + `</select>`
	return `<span class="bk-el">` + out + r.confirm(sub(el, "confirm")) + `</span>`
}

func (r *renderer) overflow(el obj, ids string) string {
	var b strings.Builder
	b.WriteString(`<span class="bk-el"><details class="bk-overflow"><summary class="bk-button bk-overflow-button" aria-label="More actions">⋯</summary><div class="bk-menu">`)
	for _, o := range list(el, "options") {
		b.WriteString(`<button type="button" class="bk-menu-item"` + ids + ` data-kind="overflow" data-value="` + html.EscapeString(str(o, "value")) + `">` + r.text(sub(o, "text")) + `</button>`)
	}
	b.WriteString(`</div></details>` + r.confirm(sub(el, "confirm")) + `</span>`)
	return b.String()
}

// unsupported is the visible box for anything the renderer does not know.
func unsupported(typ, what string) string {
	if typ == "" {
		typ = "(no type)"
	}
	return `<div class="bk-unsupported" data-unsupported="` + html.EscapeString(typ) + `">⚠ unsupported element: <code>` + html.EscapeString(typ) + `</code> ` + html.EscapeString(what) + `</div>`
}

func jsonUnmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }
