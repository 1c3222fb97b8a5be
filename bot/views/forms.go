package views

import (
	"fmt"
	"strconv"

	"github.com/slack-go/slack"
)

// IDs of the create and edit modals. Package bot reads their submissions by
// them: every input is at state.values[block_id][FormValueActionID], an
// attribute's block_id is AttrBlockPrefix+name, the groups multi-select and
// the checkboxes have their own ids.
const (
	CreateCallbackID = "create_user"
	EditCallbackID   = "edit_user"

	FormValueActionID = "value"
	AttrBlockPrefix   = "attr:"

	BlockIDUsername = "username"
	BlockIDGroups   = "groups"
	BlockIDInvite   = "invite"
	BlockIDVerified = "verified"

	// OptionSuppressInvite is the invite checkbox's value.
	OptionSuppressInvite = "suppress"

	// MaxAttrValue is Cognito's limit on an attribute value.
	MaxAttrValue = 2048

	maxModalBlocks = 100
	MaxOptions     = 100
	MaxOptionText  = 75
	MaxInputLabel  = 2000
	MaxPlaceholder = 150
	// maxFormInputs leaves room in a modal for the fixed blocks.
	maxFormInputs = 90
)

// FormField is one attribute input of a form.
type FormField struct {
	// Name is the attribute ("email", "custom:team"); its block_id is
	// AttrBlockPrefix+Name.
	Name string
	// Label is shown above the input; "" means the name.
	Label string
	// Value prefills the input.
	Value string
	// Required inputs cannot be submitted empty.
	Required bool
	// Hint is a placeholder such as "+15555550100".
	Hint string
}

// CreateFormView is the create modal: the pool's schema as inputs.
type CreateFormView struct {
	// Meta is an opaque token returned as private_metadata.
	Meta string
	Pool string
	// Fields are the attribute inputs after username (email first).
	Fields []FormField
	// Groups are offered in a multi-select whose option values are their
	// indexes as decimal strings.
	Groups []string
}

// CreateModal asks for a new user's username, attributes, groups and whether
// to send the invitation.
func CreateModal(v CreateFormView) slack.ModalViewRequest {
	blocks := []slack.Block{
		SectionBlock("New user in *" + EscTrunc(OrDash(v.Pool), 100) + "*. Cognito emails the invitation unless you suppress it."),
		slack.NewInputBlock(BlockIDUsername, PlainText("Username", MaxInputLabel), nil,
			slack.NewPlainTextInputBlockElement(PlainText("e.g. alice", MaxPlaceholder), FormValueActionID).WithMaxLength(128)),
	}
	blocks = append(blocks, fieldInputs(v.Fields)...)
	if opts := indexOptions(v.Groups); len(opts) > 0 {
		sel := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, PlainText("Choose groups", MaxPlaceholder), FormValueActionID, opts...)
		in := slack.NewInputBlock(BlockIDGroups, PlainText("Groups", MaxInputLabel), nil, sel)
		in.Optional = true
		blocks = append(blocks, in)
	}
	box := slack.NewCheckboxGroupsBlockElement(FormValueActionID,
		slack.NewOptionBlockObject(OptionSuppressInvite, PlainText("Don't send an invitation; show me a temporary password", MaxOptionText),
			PlainText("Shown once, only to you. Give it to them over a channel you trust.", MaxOptionText)))
	in := slack.NewInputBlock(BlockIDInvite, PlainText("Invitation", MaxInputLabel), nil, box)
	in.Optional = true
	blocks = append(blocks, in)
	return Modal(CreateCallbackID, "Create user", "Create", v.Meta, blocks)
}

// EditFormView is the edit modal: the user's mutable attributes prefilled,
// the immutable ones shown read-only.
type EditFormView struct {
	Meta     string
	Username string
	Pool     string
	Fields   []FormField
	// ReadOnly are attribute name → value shown but not editable.
	ReadOnly map[string]string
	// Contacts lists the contacts ("email", "phone_number") whose change may
	// be marked verified with a checkbox.
	Contacts []string
}

// EditModal shows the user's attributes for editing. Emptying an input deletes
// the attribute; a changed email or phone may be marked verified.
func EditModal(v EditFormView) slack.ModalViewRequest {
	blocks := []slack.Block{SectionBlock(fmt.Sprintf("Attributes of *%s* in *%s*. Empty a field to delete the attribute; you confirm every change next.",
		EscTrunc(OrDash(v.Username), 300), EscTrunc(OrDash(v.Pool), 100)))}
	if len(v.ReadOnly) > 0 {
		blocks = append(blocks, SectionBlock("*Read-only*\n"+customText(v.ReadOnly)))
	}
	blocks = append(blocks, fieldInputs(v.Fields)...)
	var opts []*slack.OptionBlockObject
	for _, c := range v.Contacts {
		label := map[string]string{"email": "Mark a changed email as verified", "phone_number": "Mark a changed phone as verified"}[c]
		if label != "" {
			opts = append(opts, slack.NewOptionBlockObject(c, PlainText(label, MaxOptionText), nil))
		}
	}
	if len(opts) > 0 {
		in := slack.NewInputBlock(BlockIDVerified, PlainText("Verification", MaxInputLabel), nil,
			slack.NewCheckboxGroupsBlockElement(FormValueActionID, opts...))
		in.Optional = true
		blocks = append(blocks, in)
	}
	return Modal(EditCallbackID, "Edit user", "Review changes", v.Meta, blocks)
}

// fieldInputs renders attribute inputs, at most maxFormInputs of them.
func fieldInputs(fields []FormField) []slack.Block {
	var out []slack.Block
	for _, f := range fields[:min(len(fields), maxFormInputs)] {
		el := slack.NewPlainTextInputBlockElement(PlainText(OrDash(f.Hint), MaxPlaceholder), FormValueActionID).WithMaxLength(MaxAttrValue)
		if f.Hint == "" {
			el.Placeholder = nil
		}
		if f.Value != "" {
			el.InitialValue = Truncate(f.Value, MaxAttrValue)
		}
		label := f.Label
		if label == "" {
			label = f.Name
		}
		in := slack.NewInputBlock(AttrBlockPrefix+Truncate(f.Name, 200), PlainText(label, MaxInputLabel), nil, el)
		in.Optional = !f.Required
		out = append(out, in)
	}
	return out
}

// indexOptions makes select options whose values are the items' indexes, so
// names of any length and content fit Slack's 150-character value limit.
func indexOptions(items []string) []*slack.OptionBlockObject {
	var opts []*slack.OptionBlockObject
	for i, it := range items[:min(len(items), MaxOptions)] {
		opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(i), PlainText(it, MaxOptionText), nil))
	}
	return opts
}

// Modal assembles a modal with Cancel, cutting metadata and blocks to Slack's limits.
func Modal(callbackID, title, submit, meta string, blocks []slack.Block) slack.ModalViewRequest {
	if len([]rune(meta)) > maxPrivateMeta {
		meta = string([]rune(meta)[:maxPrivateMeta])
	}
	if len(blocks) > maxModalBlocks {
		blocks = blocks[:maxModalBlocks]
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           PlainText(title, maxModalTitle),
		Submit:          PlainText(submit, maxModalTitle),
		Close:           PlainText("Cancel", maxModalTitle),
		CallbackID:      callbackID,
		PrivateMetadata: meta,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}
