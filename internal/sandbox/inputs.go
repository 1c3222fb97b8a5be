package sandbox

import (
	"html"
	"strconv"
	"strings"
)

// Every field of a modal carries data-block-id, data-action-id and
// data-shape, which tells the page how to read it back for view_submission:
// "text" is the control's value (text, option value or YYYY-MM-DD), "one" the
// ticked radio button's value, "list" every ticked option's value.

// input renders an input block of a modal as a labelled field.
func (r *renderer) input(blk obj) string {
	el := sub(blk, "element")
	blockID, actionID := str(blk, "block_id"), str(el, "action_id")
	optional, _ := blk["optional"].(bool)
	label := `<label class="bk-label">` + r.text(sub(blk, "label"))
	if optional {
		label += ` <span class="bk-optional">(optional)</span>`
	}
	label += `</label>`
	f := field{
		r: r, el: el, typ: str(el, "type"), required: !optional,
		name: html.EscapeString(blockID + "/" + actionID),
		ids:  ` data-block-id="` + html.EscapeString(blockID) + `" data-action-id="` + html.EscapeString(actionID) + `"`,
	}
	hint := ""
	if h := sub(blk, "hint"); h != nil {
		hint = `<div class="bk-hint">` + r.text(h) + `</div>`
	}
	return label + f.render() + hint + `<div class="bk-input-error" data-error-for="` + html.EscapeString(blockID) + `"></div>`
}

// field is one input element being rendered.
type field struct {
	r         *renderer
	el        obj
	typ       string
	name, ids string // name is escaped "block/action"; ids the data attributes
	required  bool
}

// attrs are the attributes every field's outer element carries.
func (f field) attrs(shape string) string {
	a := f.ids + ` data-kind="` + html.EscapeString(f.typ) + `" data-shape="` + shape + `"`
	if f.required {
		a += ` data-required`
	}
	return a
}

func (f field) placeholder(fallback string) string {
	if p := sub(f.el, "placeholder"); p != nil {
		return f.r.text(p)
	}
	return html.EscapeString(fallback)
}

func (f field) render() string {
	req := ""
	if f.required {
		req = " required"
	}
	switch f.typ {
	case "plain_text_input":
		return f.textInput(req)
	case "static_select":
		return `<select class="bk-select" name="` + f.name + `"` + f.attrs("text") + req + `><option value="">` +
			f.placeholder("Select an item") + `</option>` + f.r.options(f.el, str(sub(f.el, "initial_option"), "value")) + `</select>`
	case "multi_static_select":
		return f.multiSelect()
	case "checkboxes":
		return f.choices("checkbox", "list")
	case "radio_buttons":
		return f.choices("radio", "one")
	case "datepicker":
		return `<input class="bk-dateinput" type="date" name="` + f.name + `"` + f.attrs("text") + req +
			` value="` + html.EscapeString(str(f.el, "initial_date")) + `" aria-label="` + f.placeholder("Select a date") + `">`
	case "file_input":
		return f.fileInput()
	}
	return unsupported(f.typ, "input element")
}

func (f field) textInput(req string) string {
	limits := ""
	if n, ok := f.el["max_length"].(float64); ok {
		limits += ` maxlength="` + strconv.Itoa(int(n)) + `"`
	}
	if n, ok := f.el["min_length"].(float64); ok {
		limits += ` minlength="` + strconv.Itoa(int(n)) + `"`
	}
	placeholder := html.EscapeString(str(sub(f.el, "placeholder"), "text"))
	initial := html.EscapeString(str(f.el, "initial_value"))
	if multi, _ := f.el["multiline"].(bool); multi {
		return `<textarea class="bk-textarea" name="` + f.name + `"` + f.attrs("text") + ` placeholder="` + placeholder + `"` + limits + req + ` rows="4">` + initial + `</textarea>`
	}
	return `<input class="bk-textinput" type="text" name="` + f.name + `"` + f.attrs("text") + ` placeholder="` + placeholder + `" value="` + initial + `"` + limits + req + `>`
}

// initials are the values of an element's initial_options.
func initials(el obj) map[string]bool {
	out := map[string]bool{}
	for _, o := range list(el, "initial_options") {
		out[str(o, "value")] = true
	}
	if o := sub(el, "initial_option"); o != nil {
		out[str(o, "value")] = true
	}
	return out
}

// choices renders checkboxes or radio buttons, each option with its
// description under it, the initial ones ticked.
func (f field) choices(kind, shape string) string {
	ticked := initials(f.el)
	var b strings.Builder
	b.WriteString(`<div class="bk-choices"` + f.attrs(shape) + ` role="group">`)
	for _, o := range list(f.el, "options") {
		v := str(o, "value")
		check := ""
		if ticked[v] {
			check = " checked"
		}
		b.WriteString(`<label class="bk-choice"><input type="` + kind + `" name="` + f.name + `" value="` + html.EscapeString(v) + `"` + check + `>` +
			`<span class="bk-choice-body"><span class="bk-choice-text">` + f.r.text(sub(o, "text")) + `</span>`)
		if d := sub(o, "description"); d != nil {
			b.WriteString(`<span class="bk-choice-desc">` + f.r.text(d) + `</span>`)
		}
		b.WriteString(`</span></label>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// multiSelect renders Slack's token picker: the chosen options as chips in a
// box that opens a menu of every option (with its group) to tick or untick.
func (f field) multiSelect() string {
	ticked := initials(f.el)
	var chips, menu strings.Builder
	opt := func(o obj) {
		v := str(o, "value")
		label := f.r.text(sub(o, "text"))
		check := ""
		if ticked[v] {
			check = " checked"
			chips.WriteString(`<span class="bk-chip" data-value="` + html.EscapeString(v) + `">` + label + `</span>`)
		}
		menu.WriteString(`<label class="bk-menu-option"><input type="checkbox" name="` + f.name + `" value="` + html.EscapeString(v) + `"` + check + `><span>` + label + `</span></label>`)
	}
	for _, o := range list(f.el, "options") {
		opt(o)
	}
	for _, g := range list(f.el, "option_groups") {
		menu.WriteString(`<div class="bk-menu-group">` + f.r.text(sub(g, "label")) + `</div>`)
		for _, o := range list(g, "options") {
			opt(o)
		}
	}
	max := ""
	if n, ok := f.el["max_selected_items"].(float64); ok {
		max = ` data-max="` + strconv.Itoa(int(n)) + `"`
	}
	return `<details class="bk-multi"` + f.attrs("list") + max + `><summary class="bk-multi-box"><span class="bk-chips">` + chips.String() +
		`</span><span class="bk-placeholder">` + f.placeholder("Select items") + `</span><span class="bk-caret" aria-hidden="true">▾</span></summary>` +
		`<div class="bk-menu bk-multi-menu">` + menu.String() + `</div></details>`
}

func (f field) fileInput() string {
	accept := ""
	if types, ok := f.el["filetypes"].([]any); ok {
		var exts []string
		for _, t := range types {
			if s, ok := t.(string); ok {
				exts = append(exts, "."+s)
			}
		}
		accept = ` accept="` + html.EscapeString(strings.Join(exts, ",")) + `"`
	}
	return `<div class="bk-file"><input type="file"` + f.attrs("file") + accept + `><span class="bk-hint">Choose a file: it is uploaded with the form, as Slack does</span></div>`
}
