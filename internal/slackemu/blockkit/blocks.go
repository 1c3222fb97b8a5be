package blockkit

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Block counts Slack accepts per surface: a message, and a modal or Home tab.
const (
	MaxMessageBlocks = 50
	MaxViewBlocks    = 100
)

// Errorf is an invalid_blocks detail in Slack's wording style, pointing at
// the offending field with a JSON pointer as Slack's messages do.
func Errorf(pointer, format string, args ...any) error {
	return fmt.Errorf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), pointer)
}

// Normalize validates Block Kit JSON against the limits the bot is
// likely to hit and fills in block_id / action_id where the sender left them
// out, as Slack does (the ids then appear in the stored message and in
// block_actions payloads). It returns nil for an absent or empty list.
func Normalize(raw json.RawMessage, maxBlocks int) (json.RawMessage, error) {
	if IsEmptyJSON(raw) {
		return nil, nil
	}
	var blocks []map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&blocks); err != nil {
		return nil, Errorf("/blocks", "blocks must be an array of objects: %v", err)
	}
	if len(blocks) > maxBlocks {
		return nil, Errorf("/blocks", "no more than %d items allowed", maxBlocks)
	}
	seen := map[string]bool{}
	for i, b := range blocks {
		ptr := fmt.Sprintf("/blocks/%d", i)
		typ, _ := b["type"].(string)
		if typ == "" {
			return nil, Errorf(ptr, "missing required field: type")
		}
		id, _ := b["block_id"].(string)
		if id == "" {
			id = randomHex(3)
			b["block_id"] = id
		}
		if n := runes(id); n > 255 {
			return nil, Errorf(ptr+"/block_id", "must be less than 256 characters")
		}
		if seen[id] {
			return nil, Errorf(ptr+"/block_id", "duplicate block_id %q", id)
		}
		seen[id] = true
		if err := checkBlock(ptr, typ, b); err != nil {
			return nil, err
		}
		actions := map[string]bool{}
		for _, el := range Elements(b) {
			if err := checkElement(ptr, el, actions); err != nil {
				return nil, err
			}
		}
	}
	return marshal(blocks), nil
}

// Elements returns a block's interactive-capable elements with their pointers.
func Elements(b map[string]any) []Element {
	var out []Element
	if acc, ok := b["accessory"].(map[string]any); ok {
		out = append(out, Element{"/accessory", acc})
	}
	if el, ok := b["element"].(map[string]any); ok {
		out = append(out, Element{"/element", el})
	}
	if typ := b["type"]; typ == "actions" || typ == "context_actions" {
		els, _ := b["elements"].([]any)
		for i, e := range els {
			if m, ok := e.(map[string]any); ok {
				out = append(out, Element{fmt.Sprintf("/elements/%d", i), m})
			}
		}
	}
	return out
}

// Element is one element of a block, as found in its accessory, element or
// elements list: Path is its JSON pointer within the block, Object the
// element object itself (changes to it change the block).
type Element struct {
	Path   string
	Object map[string]any
}

func checkBlock(ptr, typ string, b map[string]any) error {
	switch typ {
	case "section":
		_, hasText := b["text"]
		fields, _ := b["fields"].([]any)
		if !hasText && len(fields) == 0 {
			return Errorf(ptr, "must provide either text or fields")
		}
		if err := CheckText(ptr+"/text", b["text"], 3000, false); err != nil {
			return err
		}
		if len(fields) > 10 {
			return Errorf(ptr+"/fields", "no more than 10 items allowed")
		}
		for i, f := range fields {
			if err := CheckText(fmt.Sprintf("%s/fields/%d", ptr, i), f, 2000, true); err != nil {
				return err
			}
		}
	case "header":
		return CheckText(ptr+"/text", b["text"], 150, true)
	case "context":
		if els, _ := b["elements"].([]any); len(els) > 10 || len(els) == 0 {
			return Errorf(ptr+"/elements", "must have between 1 and 10 items")
		}
	case "actions":
		if els, _ := b["elements"].([]any); len(els) > 25 || len(els) == 0 {
			return Errorf(ptr+"/elements", "must have between 1 and 25 items")
		}
	case "input":
		if err := CheckText(ptr+"/label", b["label"], 2000, true); err != nil {
			return err
		}
		if _, ok := b["element"].(map[string]any); !ok {
			return Errorf(ptr+"/element", "missing required field: element")
		}
	}
	return nil
}

// CheckText validates a text object (title, label, button text, …): non-empty text of at most max runes.
func CheckText(ptr string, v any, max int, required bool) error {
	if v == nil {
		if required {
			return Errorf(ptr, "missing required field: text")
		}
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return Errorf(ptr, "must be a text object")
	}
	text, _ := obj["text"].(string)
	if text == "" {
		return Errorf(ptr+"/text", "must be more than 0 characters")
	}
	if runes(text) > max {
		return Errorf(ptr+"/text", "must be less than %d characters", max+1)
	}
	return nil
}

func checkElement(blockPtr string, el Element, actions map[string]bool) error {
	ptr := blockPtr + el.Path
	typ, _ := el.Object["type"].(string)
	if typ == "" {
		return Errorf(ptr, "missing required field: type")
	}
	if typ == "image" {
		return nil
	}
	id, _ := el.Object["action_id"].(string)
	if id == "" {
		id = randomHex(3)
		el.Object["action_id"] = id
	}
	if runes(id) > 255 {
		return Errorf(ptr+"/action_id", "must be less than 256 characters")
	}
	if actions[id] {
		return Errorf(ptr+"/action_id", "duplicate action_id %q in block", id)
	}
	actions[id] = true
	if typ == "file_input" && el.Path != "/element" {
		return Errorf(ptr, "file_input is only valid as the element of an input block")
	}
	if err := checkInputElement(ptr, typ, el.Object); err != nil {
		return err
	}
	if typ == "button" {
		if err := CheckText(ptr+"/text", el.Object["text"], 75, true); err != nil {
			return err
		}
		if v, _ := el.Object["value"].(string); runes(v) > 2000 {
			return Errorf(ptr+"/value", "must be less than 2001 characters")
		}
		if u, _ := el.Object["url"].(string); runes(u) > 3000 {
			return Errorf(ptr+"/url", "must be less than 3001 characters")
		}
	}
	return nil
}
