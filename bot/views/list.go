package views

import (
	"fmt"
	"strconv"

	"github.com/slack-go/slack"
)

// Action IDs of the list's paging buttons; their values are Value#page.
// Exported because package bot routes clicks by them.
const (
	ActionIDListPrev = "list:prev"
	ActionIDListNext = "list:next"

	// blockIDListNav is the block_id of the paging button row.
	blockIDListNav = "list_nav"
)

// ListPageView is one page of `/cognito list` output.
type ListPageView struct {
	Pool PoolView
	// Filter is a human description of the filters applied; empty means none.
	Filter string
	Users  []UserView
	// Page is 1-based.
	Page     int
	PageSize int
	HasPrev  bool
	HasNext  bool
	// Value is the opaque state carried by the Previous/Next buttons.
	Value string
}

// ListPage renders a page of users as compact rows, many rows per section so
// that even a large page stays well under the block limit.
func ListPage(p ListPageView) Message {
	blocks := []slack.Block{HeaderBlock("Users in " + OrDash(p.Pool.Name))}
	ctx := []string{"Pool " + p.Pool.Label()}
	if len(p.Users) > 0 {
		first := max(p.Page-1, 0)*max(p.PageSize, 0) + 1
		ctx = append(ctx, fmt.Sprintf("Showing %d–%d", first, first+len(p.Users)-1))
	}
	if p.Page > 0 {
		ctx = append(ctx, fmt.Sprintf("Page %d", p.Page))
	}
	if p.Filter != "" {
		ctx = append(ctx, "Filter: "+EscTrunc(p.Filter, 500))
	}
	blocks = append(blocks, ContextBlock(ctx...))

	if len(p.Users) == 0 {
		msg := "No users match."
		if p.Filter != "" {
			msg = "No users match " + EscTrunc(p.Filter, 500) + "."
		}
		blocks = append(blocks, SectionBlock(msg))
	} else {
		lines := make([]string, len(p.Users))
		for i, u := range p.Users {
			lines[i] = listRow(u)
		}
		// Keep room for the header, context, "more" note and buttons.
		blocks = append(blocks, PackLines(lines, MaxBlocks-5, func(n int) string {
			return fmt.Sprintf("_…and %d more on this page not shown._", n)
		})...)
	}

	var nav []slack.BlockElement
	if p.HasPrev {
		nav = append(nav, ViewButton(ActionIDListPrev, "← Previous", pageValue(p.Value, p.Page-1)))
	}
	if p.HasNext {
		nav = append(nav, ViewButton(ActionIDListNext, "Next →", pageValue(p.Value, p.Page+1)))
	}
	if len(nav) > 0 {
		blocks = append(blocks, slack.NewActionBlock(blockIDListNav, nav...))
	}
	return Message{
		Text: FallbackText(fmt.Sprintf("%d %s in %s (page %d)",
			len(p.Users), Pluralize(len(p.Users), "user", "users"), p.Pool.PlainName(), max(p.Page, 1))),
		Blocks: blocks,
	}
}

// listRow is one compact line: enabled mark, username, email, status.
func listRow(u UserView) string {
	mark := "✓"
	if !u.Enabled {
		mark = "✗"
	}
	row := fmt.Sprintf("%s *%s* · %s · %s", mark,
		EscTrunc(OrDash(u.Username), 80), EscTrunc(OrDash(u.Email), 80), statusText(u.Status))
	if !u.DeletesAt.IsZero() {
		row += " · 🗑 deleted " + DateToken(u.DeletesAt) + " unless undone"
	}
	return row
}

// pageValue is a paging button's value: the list session id and the page it shows.
func pageValue(session string, page int) string { return session + "#" + strconv.Itoa(page) }
