package slackemu

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Block counts Slack accepts per surface.
const (
	maxMessageBlocks = 50
	maxViewBlocks    = 100
)

// blockError is an invalid_blocks detail in Slack's wording style.
func blockError(pointer, format string, args ...any) error {
	return fmt.Errorf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), pointer)
}

// normalizeBlocks validates Block Kit JSON against the limits the bot is
// likely to hit and fills in block_id / action_id where the sender left them
// out, as Slack does (the ids then appear in the stored message and in
// block_actions payloads). It returns nil for an absent or empty list.
func normalizeBlocks(raw json.RawMessage, maxBlocks int) (json.RawMessage, error) {
	if isEmptyJSON(raw) {
		return nil, nil
	}
	var blocks []map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&blocks); err != nil {
		return nil, blockError("/blocks", "blocks must be an array of objects: %v", err)
	}
	if len(blocks) > maxBlocks {
		return nil, blockError("/blocks", "no more than %d items allowed", maxBlocks)
	}
	seen := map[string]bool{}
	for i, b := range blocks {
		ptr := fmt.Sprintf("/blocks/%d", i)
		typ, _ := b["type"].(string)
		if typ == "" {
			return nil, blockError(ptr, "missing required field: type")
		}
		id, _ := b["block_id"].(string)
		if id == "" {
			id = randomHex(3)
			b["block_id"] = id
		}
		if n := runes(id); n > 255 {
			return nil, blockError(ptr+"/block_id", "must be less than 256 characters")
		}
		if seen[id] {
			return nil, blockError(ptr+"/block_id", "duplicate block_id %q", id)
		}
		seen[id] = true
		if err := checkBlock(ptr, typ, b); err != nil {
			return nil, err
		}
		actions := map[string]bool{}
		for _, el := range elementsOf(b) {
			if err := checkElement(ptr, el, actions); err != nil {
				return nil, err
			}
		}
	}
	return marshal(blocks), nil
}

// elementsOf returns a block's interactive-capable elements with their pointers.
func elementsOf(b map[string]any) []element {
	var out []element
	if acc, ok := b["accessory"].(map[string]any); ok {
		out = append(out, element{"/accessory", acc})
	}
	if el, ok := b["element"].(map[string]any); ok {
		out = append(out, element{"/element", el})
	}
	if typ := b["type"]; typ == "actions" || typ == "context_actions" {
		els, _ := b["elements"].([]any)
		for i, e := range els {
			if m, ok := e.(map[string]any); ok {
				out = append(out, element{fmt.Sprintf("/elements/%d", i), m})
			}
		}
	}
	return out
}

type element struct {
	ptr string
	m   map[string]any
}

func checkBlock(ptr, typ string, b map[string]any) error {
	switch typ {
	case "section":
		_, hasText := b["text"]
		fields, _ := b["fields"].([]any)
		if !hasText && len(fields) == 0 {
			return blockError(ptr, "must provide either text or fields")
		}
		if err := checkText(ptr+"/text", b["text"], 3000, false); err != nil {
			return err
		}
		if len(fields) > 10 {
			return blockError(ptr+"/fields", "no more than 10 items allowed")
		}
		for i, f := range fields {
			if err := checkText(fmt.Sprintf("%s/fields/%d", ptr, i), f, 2000, true); err != nil {
				return err
			}
		}
	case "header":
		return checkText(ptr+"/text", b["text"], 150, true)
	case "context":
		if els, _ := b["elements"].([]any); len(els) > 10 || len(els) == 0 {
			return blockError(ptr+"/elements", "must have between 1 and 10 items")
		}
	case "actions":
		if els, _ := b["elements"].([]any); len(els) > 25 || len(els) == 0 {
			return blockError(ptr+"/elements", "must have between 1 and 25 items")
		}
	case "input":
		if err := checkText(ptr+"/label", b["label"], 2000, true); err != nil {
			return err
		}
		if _, ok := b["element"].(map[string]any); !ok {
			return blockError(ptr+"/element", "missing required field: element")
		}
	}
	return nil
}

// checkText validates a text object: non-empty text of at most max runes.
func checkText(ptr string, v any, max int, required bool) error {
	if v == nil {
		if required {
			return blockError(ptr, "missing required field: text")
		}
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return blockError(ptr, "must be a text object")
	}
	text, _ := obj["text"].(string)
	if text == "" {
		return blockError(ptr+"/text", "must be more than 0 characters")
	}
	if runes(text) > max {
		return blockError(ptr+"/text", "must be less than %d characters", max+1)
	}
	return nil
}

func checkElement(blockPtr string, el element, actions map[string]bool) error {
	ptr := blockPtr + el.ptr
	typ, _ := el.m["type"].(string)
	if typ == "" {
		return blockError(ptr, "missing required field: type")
	}
	if typ == "image" {
		return nil
	}
	id, _ := el.m["action_id"].(string)
	if id == "" {
		id = randomHex(3)
		el.m["action_id"] = id
	}
	if runes(id) > 255 {
		return blockError(ptr+"/action_id", "must be less than 256 characters")
	}
	if actions[id] {
		return blockError(ptr+"/action_id", "duplicate action_id %q in block", id)
	}
	actions[id] = true
	if typ == "file_input" && el.ptr != "/element" {
		return blockError(ptr, "file_input is only valid as the element of an input block")
	}
	if err := checkInputElement(ptr, typ, el.m); err != nil {
		return err
	}
	if typ == "button" {
		if err := checkText(ptr+"/text", el.m["text"], 75, true); err != nil {
			return err
		}
		if v, _ := el.m["value"].(string); runes(v) > 2000 {
			return blockError(ptr+"/value", "must be less than 2001 characters")
		}
		if u, _ := el.m["url"].(string); runes(u) > 3000 {
			return blockError(ptr+"/url", "must be less than 3001 characters")
		}
	}
	return nil
}
