package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

func parseList(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	f, err := desk.ParseFlags(args, []string{"status", "prefix", "group", "limit", "pool"}, []string{"enabled", "disabled"})
	if err != nil {
		return usercmd.Invocation{}, err
	}
	if len(f.Pos) > 0 {
		return usercmd.Invocation{}, desk.Usagef("`list` takes only options; did you mean `lookup %s`?", views.Truncate(f.Pos[0], 40))
	}
	limit, err := desk.IntFlag(f, "limit", jobs.DefaultPageSize, jobs.MaxPageSize)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	pool, err := b.Pool(f)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	s, err := filterFlags(f, pool)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	s.Limit, s.Tokens = limit, map[string]string{"1": ""}
	return usercmd.Invocation{Run: func(ctx context.Context) error { return b.showListPage(ctx, req, desk.NewSessionID(), s, 1) }}, nil
}

// ListClick pages a list. The session (filters and page tokens) lives in the state
// store; the button carries only its id and the page wanted.
func (b *Commands) ListClick(ctx context.Context, req *transport.Request, value string) {
	id, page, ok := desk.SplitValue(value)
	if !ok || page < 1 {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	}
	s, loaded := desk.ListSessions.Load(ctx, b.Desk, req, id)
	if !loaded {
		return
	}
	if err := b.showListPage(ctx, req, id, s, page); err != nil {
		b.AnswerError(ctx, req, actions.List, err)
	}
}

// showListPage fetches one page (an authorized, audited step), remembers the token
// of the next one and shows it, replacing the list in place when paging.
func (b *Commands) showListPage(ctx context.Context, req *transport.Request, id string, s desk.ListSession, page int) error {
	token, known := s.Tokens[strconv.Itoa(page)]
	pool, found := b.Cfg.PoolByName(s.Pool)
	if !known || !found {
		b.Reply(ctx, req, views.Notice("This list has expired. Please run the command again."), desk.ReplyEphemeral)
		return nil
	}
	var result cognito.Page
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditid.ForRequest(auditid.List, req.Ref, strconv.Itoa(page)), Action: actions.List, Pool: pool.Name,
		Target: desk.TargetOfPool(pool), Params: map[string]string{"filter": jobs.DescribeFilter(s), "page": strconv.Itoa(page)},
		Op: func(ctx context.Context, d pipeline.Services) (pipeline.Result, error) {
			var err error
			result, err = d.Users.ListUsers(ctx, pool.ID, jobs.ListFilterOf(s), s.Limit, token)
			if err != nil {
				return pipeline.Result{RequestID: cognito.RequestID(err)}, err
			}
			return pipeline.Result{Summary: fmt.Sprintf("page %d: %d users", page, len(result.Users))}, nil
		},
	})
	if !ok {
		return nil
	}
	if out.Err != nil {
		return out.Err
	}
	if result.NextToken != "" {
		s.Tokens[strconv.Itoa(page+1)] = result.NextToken
	}
	if err := desk.ListSessions.Save(ctx, b.Desk, req, id, s); err != nil {
		return err
	}
	rows := make([]views.UserView, len(result.Users))
	deleting := b.DeletionsIn(ctx, pool.ID)
	for i, u := range result.Users {
		rows[i] = desk.ToUserView(u)
		rows[i].DeletesAt = deleting[u.Sub]
	}
	b.Reply(ctx, req, views.ListPage(views.ListPageView{
		Pool: desk.ToPoolView(pool), Filter: jobs.DescribeFilter(s), Users: rows, Page: page, PageSize: s.Limit,
		HasPrev: page > 1, HasNext: result.NextToken != "", Value: id,
	}), b.ReplaceIfClicked(req))
	return nil
}

// filterFlags reads the user filter flags shared by list, bulk and export:
// --status, --enabled or --disabled, --group, --prefix ATTR=VALUE.
func filterFlags(f desk.Flags, pool config.Pool) (desk.ListSession, error) {
	s := desk.ListSession{Pool: pool.Name, Status: strings.ToUpper(f.Values["status"]), Group: f.Values["group"]}
	if f.Bools["enabled"] && f.Bools["disabled"] {
		return s, desk.Usagef("Use either `--enabled` or `--disabled`, not both.")
	}
	if p, ok := f.Values["prefix"]; ok {
		attr, val, found := strings.Cut(p, "=")
		if !found || attr == "" {
			return s, desk.Usagef("`--prefix` takes ATTR=VALUE, e.g. `--prefix email=alice`.")
		}
		s.Attr, s.Prefix = attr, val
	}
	switch {
	case f.Bools["enabled"]:
		s.Enabled = "true"
	case f.Bools["disabled"]:
		s.Enabled = "false"
	}
	return s, nil
}
