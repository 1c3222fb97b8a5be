package views

import (
	"fmt"

	"github.com/slack-go/slack"
)

// ActionIDPick is the action_id of the "Select" button beside each match; its
// value comes from MatchesList's value function. Package bot routes the
// click by it.
const ActionIDPick = "pick"

// maxMatchRows is how many matches MatchesList shows.
const maxMatchRows = 10

// MatchesList renders the users matching an ambiguous lookup query, one row
// each with a Select button whose value is value(i). At most ten rows are
// shown; the count in the heading is the total passed in.
func MatchesList(query string, pool PoolView, users []UserView, value func(i int) string) Message {
	q := CodeSpan(EscTrunc(query, 200))
	var head string
	switch len(users) {
	case 0:
		head = fmt.Sprintf("No users match %s in %s.", q, pool.Label())
	case 1:
		head = fmt.Sprintf("*1 user matches* %s in %s:", q, pool.Label())
	default:
		head = fmt.Sprintf("*%d users match* %s in %s. Pick one:", len(users), q, pool.Label())
	}
	blocks := []slack.Block{SectionBlock(head)}
	for i, u := range users[:min(len(users), maxMatchRows)] {
		v := ""
		if value != nil {
			v = value(i)
		}
		row := fmt.Sprintf("*%s*\n%s · %s · %s",
			EscTrunc(OrDash(u.Username), 300), EscTrunc(OrDash(u.Email), 300),
			statusText(u.Status), enabledText(u.Enabled))
		blocks = append(blocks, slack.NewSectionBlock(MrkdwnText(row), nil,
			slack.NewAccessory(ViewButton(ActionIDPick, "Select", v))))
	}
	if len(users) > maxMatchRows {
		blocks = append(blocks, ContextBlock(fmt.Sprintf(
			"Showing the first %d of %d matches. Narrow the query to see the rest.", maxMatchRows, len(users))))
	}
	return Message{
		Text: FallbackText(fmt.Sprintf("%d %s %s %s in %s", len(users), Pluralize(len(users), "user", "users"),
			Pluralize(len(users), "matches", "match"), q, pool.PlainName())),
		Blocks: blocks,
	}
}
