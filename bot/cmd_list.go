package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

var listCommand = command{
	Name:    "list",
	Action:  config.ActionList,
	Usage:   "[--status STATUS] [--enabled | --disabled] [--prefix ATTR=VALUE] [--group NAME] [--limit N] [--pool NAME]",
	Summary: "List users a page at a time (default 20, at most 60 per page)",
	Parse:   parseList,
}

const (
	defaultPageSize = 20
	maxPageSize     = 60
)

func parseList(b *Bot, req *request, args []string) (invocation, error) {
	f, err := parseFlags(args, []string{"status", "prefix", "group", "limit", "pool"}, []string{"enabled", "disabled"})
	if err != nil {
		return invocation{}, err
	}
	if len(f.pos) > 0 {
		return invocation{}, usagef("`list` takes only options; did you mean `lookup %s`?", views.Truncate(f.pos[0], 40))
	}
	if f.bools["enabled"] && f.bools["disabled"] {
		return invocation{}, usagef("Use either `--enabled` or `--disabled`, not both.")
	}
	limit, err := intFlag(f, "limit", defaultPageSize, maxPageSize)
	if err != nil {
		return invocation{}, err
	}
	pool, err := b.pool(f)
	if err != nil {
		return invocation{}, err
	}
	data := map[string]string{
		"kind": "list", "owner": req.Actor.UserID, "team": req.Actor.TeamID, "pool": pool.Name,
		"status": strings.ToUpper(f.values["status"]), "group": f.values["group"], "limit": strconv.Itoa(limit),
	}
	if p, ok := f.values["prefix"]; ok {
		attr, val, found := strings.Cut(p, "=")
		if !found || attr == "" {
			return invocation{}, usagef("`--prefix` takes ATTR=VALUE, e.g. `--prefix email=alice`.")
		}
		data["attr"], data["prefix"] = attr, val
	}
	switch {
	case f.bools["enabled"]:
		data["enabled"] = "true"
	case f.bools["disabled"]:
		data["enabled"] = "false"
	}
	return invocation{
		Target: audit.Target{Pool: pool.ID},
		Run: func(ctx context.Context) error {
			id := newSessionID()
			data["tok1"] = ""
			return b.showListPage(ctx, req, id, data, 1)
		},
	}, nil
}

// listClick pages a list. The session (filters and page tokens) lives in DynamoDB;
// the button carries only its id and the page wanted.
func (b *Bot) listClick(ctx context.Context, req *request, value string) {
	id, page, ok := splitValue(value)
	if !ok || page < 1 {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return
	}
	s, ok := b.loadSession(ctx, req, id, "list")
	if !ok {
		return
	}
	pool, _ := b.cfg.PoolByName(s["pool"])
	if !b.authorize(ctx, req, config.ActionList, audit.Target{Pool: pool.ID}) {
		return
	}
	if err := b.showListPage(ctx, req, id, s, page); err != nil {
		b.reply(ctx, req, views.Notice(b.userMessage(err, req, "list")), replyEphemeral)
	}
}

// showListPage fetches one page (audited), remembers the token of the next one and
// shows it, replacing the list in place when paging.
func (b *Bot) showListPage(ctx context.Context, req *request, id string, s map[string]string, page int) error {
	token, known := s["tok"+strconv.Itoa(page)]
	pool, found := b.cfg.PoolByName(s["pool"])
	if !known || !found {
		b.reply(ctx, req, views.Notice("This list has expired. Please run the command again."), replyEphemeral)
		return nil
	}
	filter := listFilterOf(s)
	limit, _ := strconv.Atoi(s["limit"])
	var result cognito.Page
	out := b.run(ctx, req, req.Ref, operation{
		Action: config.ActionList,
		Target: audit.Target{Pool: pool.ID},
		Params: map[string]string{"filter": describeFilter(s), "page": strconv.Itoa(page)},
		Call: func(ctx context.Context) (string, string, error) {
			var err error
			result, err = b.users.ListUsers(ctx, pool.ID, filter, limit, token)
			if err != nil {
				return "", cognito.RequestID(err), err
			}
			return fmt.Sprintf("page %d: %d users", page, len(result.Users)), "", nil
		},
	})
	if out.Duplicate {
		return nil
	}
	if out.Err != nil {
		return out.Err
	}
	if result.NextToken != "" {
		s["tok"+strconv.Itoa(page+1)] = result.NextToken
	}
	if err := b.state.PutSession(ctx, id, s, sessionTTL); err != nil {
		return fmt.Errorf("saving list session: %w: %w", errStateUnavailable, err)
	}
	rows := make([]views.UserView, len(result.Users))
	for i, u := range result.Users {
		rows[i] = toUserView(u)
	}
	m := views.ListPage(views.ListPageView{
		Pool: toPoolView(pool), Filter: describeFilter(s), Users: rows, Page: page, PageSize: limit,
		HasPrev: page > 1, HasNext: result.NextToken != "", Value: id,
	})
	b.reply(ctx, req, m, b.replaceIfClicked(req))
	return nil
}

func listFilterOf(s map[string]string) cognito.ListFilter {
	f := cognito.ListFilter{Status: s["status"], Attribute: s["attr"], Prefix: s["prefix"], Group: s["group"]}
	if e, ok := s["enabled"]; ok && e != "" {
		v := e == "true"
		f.Enabled = &v
	}
	return f
}

// describeFilter is the human summary of a list's filters shown above the rows.
func describeFilter(s map[string]string) string {
	var parts []string
	if v := s["status"]; v != "" {
		parts = append(parts, "status "+v)
	}
	switch s["enabled"] {
	case "true":
		parts = append(parts, "enabled")
	case "false":
		parts = append(parts, "disabled")
	}
	if a := s["attr"]; a != "" {
		parts = append(parts, a+" starts with \""+s["prefix"]+"\"")
	}
	if g := s["group"]; g != "" {
		parts = append(parts, "in group "+g)
	}
	if len(parts) == 0 {
		return "all users"
	}
	return strings.Join(parts, ", ")
}
