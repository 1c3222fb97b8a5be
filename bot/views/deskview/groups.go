package deskview

import (
	"fmt"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
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
func GroupsList(pool views.PoolView, groups []GroupView) views.Message {
	head := fmt.Sprintf("*Groups of %s* (%d)", pool.Label(), len(groups))
	if len(groups) == 0 {
		return views.Message{Text: views.FallbackText("No groups in " + pool.PlainName()),
			Blocks: []slack.Block{views.SectionBlock(head + "\nThis pool has no groups.")}}
	}
	lines := make([]string, len(groups))
	for i, g := range groups {
		line := "• *" + views.EscTrunc(views.OrDash(g.Name), 128) + "*"
		if g.Precedence != "" {
			line += " · precedence " + views.EscTrunc(g.Precedence, 12)
		}
		if g.Description != "" {
			line += " — " + views.EscTrunc(g.Description, 300)
		}
		lines[i] = line
	}
	blocks := append([]slack.Block{views.SectionBlock(head)},
		views.PackLines(lines, views.MaxBlocks-3, func(n int) string { return fmt.Sprintf("…and %d more groups not shown.", n) })...)
	return views.Message{Text: views.FallbackText(fmt.Sprintf("%d groups in %s", len(groups), pool.PlainName())), Blocks: blocks}
}

// UserGroupsView is one user's groups with the controls the viewer may use.
type UserGroupsView struct {
	Username string
	Pool     views.PoolView
	Groups   []string
	// RemoveValue, when set, gives each group a Remove button with this value.
	RemoveValue func(i int) string
	// Addable are groups the user is not in; AddValue, when set, offers them in a select.
	Addable  []string
	AddValue func(i int) string
}

// UserGroups shows a user's groups, each with a Remove button (confirmed by
// Slack's dialog), and an "Add to group" select.
func UserGroups(v UserGroupsView) views.Message {
	who := views.EscTrunc(views.OrDash(v.Username), 300)
	blocks := []slack.Block{views.SectionBlock(fmt.Sprintf("*Groups of %s* in %s (%d)", who, v.Pool.Label(), len(v.Groups)))}
	if len(v.Groups) == 0 {
		blocks = append(blocks, views.SectionBlock("Not in any group."))
	}
	for i, g := range v.Groups {
		if i == maxGroupRows {
			blocks = append(blocks, views.ContextBlock(fmt.Sprintf("…and %d more groups not shown.", len(v.Groups)-i)))
			break
		}
		sec := views.SectionBlock("• " + views.EscTrunc(views.OrDash(g), 128))
		sec.BlockID = fmt.Sprintf("group_%d", i)
		if v.RemoveValue != nil {
			btn := views.ViewButton(ActionIDGroupRemove, "Remove", v.RemoveValue(i)).WithStyle(slack.StyleDanger).
				WithConfirm(views.DangerConfirm("Remove from group?", "Remove "+views.Truncate(v.Username, 100)+" from "+views.Truncate(g, 128)+
					"? They lose what the group grants once their current tokens expire.", "Remove", "Cancel"))
			sec.Accessory = slack.NewAccessory(btn)
		}
		blocks = append(blocks, sec)
	}
	if v.AddValue != nil && len(v.Addable) > 0 {
		var opts []*slack.OptionBlockObject
		for i, g := range v.Addable[:min(len(v.Addable), views.MaxOptions)] {
			opts = append(opts, slack.NewOptionBlockObject(views.Truncate(v.AddValue(i), 150), views.PlainText(g, views.MaxOptionText), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, views.PlainText("Add to group", views.MaxPlaceholder), ActionIDGroupAdd, opts...)
		blocks = append(blocks, slack.NewActionBlock(blockIDGroupAdd, sel))
	}
	blocks = append(blocks, views.ContextBlock("Pool "+v.Pool.Label()+" · changes show in tokens issued afterwards"))
	return views.Message{Text: views.FallbackText(fmt.Sprintf("Groups of %s in %s", who, v.Pool.PlainName())), Blocks: blocks}
}

// CreatedView is a user just created.
type CreatedView struct {
	User views.UserView
	Pool views.PoolView
	// Card is what the card offers, as for a lookup.
	Card CardOptions
	// InvitedBy is how the invitation went ("email"), or "" when suppressed.
	InvitedBy string
	// Password is the generated temporary password, shown once. It must only
	// ever be in an ephemeral reply to the requester.
	Password string
}

// CreatedCard is the new user's card with how they get in.
func CreatedCard(v CreatedView) views.Message {
	card := UserCard(v.User, v.Pool, false, v.Card)
	who := views.EscTrunc(views.OrDash(v.User.Username), 300)
	line := fmt.Sprintf("✅ Created *%s* in %s.", who, v.Pool.Label())
	switch {
	case v.Password != "":
		line += "\nNo invitation was sent. *Temporary password* (only you see this, and only now): " + views.CodeSpan(views.Escape(v.Password)) +
			"\nGive it to them over a channel you trust; they must choose a new one at first sign-in."
	case v.InvitedBy != "":
		line += " Cognito sent the invitation by " + views.EscTrunc(v.InvitedBy, 20) + "."
	}
	blocks := append([]slack.Block{views.SectionBlock(line)}, card.Blocks...)
	return views.Message{Text: views.FallbackText(fmt.Sprintf("Created %s in %s", who, v.Pool.PlainName())), Blocks: blocks}
}
