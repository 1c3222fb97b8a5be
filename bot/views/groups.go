package views

import (
	"fmt"

	"github.com/slack-go/slack"
)

// Action IDs of a user's groups message. Each Remove button and each option
// of the add select carry an opaque value naming the session and the group.
const (
	ActionIDGroupRemove = "groups:remove"
	ActionIDGroupAdd    = "groups:add"

	blockIDGroupAdd = "groups_add"
	// maxGroupRows keeps a user's groups message within 50 blocks.
	maxGroupRows = 40
)

// GroupView is one group of a pool.
type GroupView struct {
	Name, Description string
	// Precedence is "" when the group has none.
	Precedence string
}

// GroupsList shows the pool's groups with description and precedence.
func GroupsList(pool PoolView, groups []GroupView) Message {
	head := fmt.Sprintf("*Groups of %s* (%d)", pool.label(), len(groups))
	if len(groups) == 0 {
		return Message{Text: fallbackText("No groups in " + pool.plainName()),
			Blocks: []slack.Block{sectionBlock(head + "\nThis pool has no groups.")}}
	}
	lines := make([]string, len(groups))
	for i, g := range groups {
		line := "• *" + escTrunc(orDash(g.Name), 128) + "*"
		if g.Precedence != "" {
			line += " · precedence " + escTrunc(g.Precedence, 12)
		}
		if g.Description != "" {
			line += " — " + escTrunc(g.Description, 300)
		}
		lines[i] = line
	}
	blocks := append([]slack.Block{sectionBlock(head)},
		packLines(lines, maxBlocks-3, func(n int) string { return fmt.Sprintf("…and %d more groups not shown.", n) })...)
	return Message{Text: fallbackText(fmt.Sprintf("%d groups in %s", len(groups), pool.plainName())), Blocks: blocks}
}

// UserGroupsView is one user's groups with the controls the viewer may use.
type UserGroupsView struct {
	Username string
	Pool     PoolView
	Groups   []string
	// RemoveValue, when set, gives each group a Remove button with this value.
	RemoveValue func(i int) string
	// Addable are groups the user is not in; AddValue, when set, offers them in a select.
	Addable  []string
	AddValue func(i int) string
}

// UserGroups shows a user's groups, each with a Remove button (confirmed by
// Slack's dialog), and an "Add to group" select.
func UserGroups(v UserGroupsView) Message {
	who := escTrunc(orDash(v.Username), 300)
	blocks := []slack.Block{sectionBlock(fmt.Sprintf("*Groups of %s* in %s (%d)", who, v.Pool.label(), len(v.Groups)))}
	if len(v.Groups) == 0 {
		blocks = append(blocks, sectionBlock("Not in any group."))
	}
	for i, g := range v.Groups {
		if i == maxGroupRows {
			blocks = append(blocks, contextBlock(fmt.Sprintf("…and %d more groups not shown.", len(v.Groups)-i)))
			break
		}
		sec := sectionBlock("• " + escTrunc(orDash(g), 128))
		sec.BlockID = fmt.Sprintf("group_%d", i)
		if v.RemoveValue != nil {
			btn := viewButton(ActionIDGroupRemove, "Remove", v.RemoveValue(i)).WithStyle(slack.StyleDanger).
				WithConfirm(dangerConfirm("Remove from group?", "Remove "+Truncate(v.Username, 100)+" from "+Truncate(g, 128)+
					"? They lose what the group grants once their current tokens expire.", "Remove", "Cancel"))
			sec.Accessory = slack.NewAccessory(btn)
		}
		blocks = append(blocks, sec)
	}
	if v.AddValue != nil && len(v.Addable) > 0 {
		var opts []*slack.OptionBlockObject
		for i, g := range v.Addable[:min(len(v.Addable), maxOptions)] {
			opts = append(opts, slack.NewOptionBlockObject(Truncate(v.AddValue(i), 150), plainText(g, maxOptionText), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText("Add to group", maxInputPlaceTxt), ActionIDGroupAdd, opts...)
		blocks = append(blocks, slack.NewActionBlock(blockIDGroupAdd, sel))
	}
	blocks = append(blocks, contextBlock("Pool "+v.Pool.label()+" · changes show in tokens issued afterwards"))
	return Message{Text: fallbackText(fmt.Sprintf("Groups of %s in %s", who, v.Pool.plainName())), Blocks: blocks}
}

// CreatedView is a user just created.
type CreatedView struct {
	User UserView
	Pool PoolView
	// Card is what the card offers, as for a lookup.
	Card CardOptions
	// InvitedBy is how the invitation went ("email"), or "" when suppressed.
	InvitedBy string
	// Password is the generated temporary password, shown once. It must only
	// ever be in an ephemeral reply to the requester.
	Password string
}

// CreatedCard is the new user's card with how they get in.
func CreatedCard(v CreatedView) Message {
	card := UserCard(v.User, v.Pool, false, v.Card)
	who := escTrunc(orDash(v.User.Username), 300)
	line := fmt.Sprintf("✅ Created *%s* in %s.", who, v.Pool.label())
	switch {
	case v.Password != "":
		line += "\nNo invitation was sent. *Temporary password* (only you see this, and only now): " + codeSpan(Escape(v.Password)) +
			"\nGive it to them over a channel you trust; they must choose a new one at first sign-in."
	case v.InvitedBy != "":
		line += " Cognito sent the invitation by " + escTrunc(v.InvitedBy, 20) + "."
	}
	blocks := append([]slack.Block{sectionBlock(line)}, card.Blocks...)
	return Message{Text: fallbackText(fmt.Sprintf("Created %s in %s", who, v.Pool.plainName())), Blocks: blocks}
}
