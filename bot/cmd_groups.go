package bot

import (
	"context"
	"slices"
	"strconv"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// kindGroups is the session behind a user's groups message.
const kindGroups = "groups"

// groupsSession backs the Remove buttons and the add select of one user's
// groups message: the exact user and the groups shown, by index.
type groupsSession struct {
	Pool    string   `json:"pool"`
	Target  identity `json:"target"`
	Member  []string `json:"member"`
	Addable []string `json:"addable"`
}

func parseGroups(b *Bot, req *request, args []string) (invocation, error) {
	f, err := parseFlags(args, []string{"pool"}, nil)
	if err != nil {
		return invocation{}, err
	}
	pool, err := b.pool(f)
	if err != nil {
		return invocation{}, err
	}
	if len(f.pos) == 0 {
		return invocation{Run: func(ctx context.Context) error { return b.poolGroups(ctx, req, pool) }}, nil
	}
	q, err := onePositional(f, "username, email, phone or sub")
	if err != nil {
		return invocation{}, err
	}
	return invocation{Run: func(ctx context.Context) error { return b.userGroups(ctx, req, pool, typed(q)) }}, nil
}

// poolGroups lists the pool's groups (ListGroups) as an audited read.
func (b *Bot) poolGroups(ctx context.Context, req *request, pool config.Pool) error {
	groups, ok, err := b.describeGroups(ctx, req, pool, audit.Target{Pool: pool.ID})
	if !ok || err != nil {
		return err
	}
	rows := make([]deskview.GroupView, len(groups))
	for i, g := range groups {
		rows[i] = deskview.GroupView{Name: g.Name, Description: g.Description}
		if g.Precedence != nil {
			rows[i].Precedence = strconv.Itoa(*g.Precedence)
		}
	}
	b.reply(ctx, req, deskview.GroupsList(toPoolView(pool), rows), replyEphemeral)
	return nil
}

func (b *Bot) describeGroups(ctx context.Context, req *request, pool config.Pool, target audit.Target) ([]cognito.Group, bool, error) {
	var groups []cognito.Group
	out, ok := b.do(ctx, req, pipeline.Step{
		AuditID: "groups#" + hashKey(req.Ref, target.Username), Action: actions.Groups, Pool: pool.Name, Target: target,
		Params: map[string]string{"phase": "list-groups"},
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			var err error
			groups, err = s.Users.DescribeGroups(ctx, pool.ID)
			return pipeline.Result{RequestID: cognito.RequestID(err), Summary: strconv.Itoa(len(groups)) + " groups"}, err
		},
	})
	if !ok {
		return nil, false, nil
	}
	return groups, true, out.Err
}

// userGroups shows one user's groups with a Remove button each and an "Add to
// group" select, for what the viewer may do here.
func (b *Bot) userGroups(ctx context.Context, req *request, pool config.Pool, ref targetRef) error {
	u, err := b.resolveOne(ctx, req, "find#"+hashKey(req.Ref, string(actions.Groups), ref.key()), pool, ref, pickNext{Action: actions.Groups})
	if u == nil || err != nil {
		return err
	}
	all, ok, err := b.describeGroups(ctx, req, pool, audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub})
	if !ok || err != nil {
		return err
	}
	s := groupsSession{Pool: pool.Name, Target: identityOf(u), Member: slices.Clone(u.Groups)}
	for _, g := range all {
		if !slices.Contains(u.Groups, g.Name) {
			s.Addable = append(s.Addable, g.Name)
		}
	}
	allowed := b.policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, pool.Name)
	v := deskview.UserGroupsView{Username: u.Username, Pool: toPoolView(pool), Groups: s.Member, Addable: s.Addable}
	canRemove := slices.Contains(allowed, actions.RemoveFromGroup) && len(s.Member) > 0
	canAdd := slices.Contains(allowed, actions.AddToGroup) && len(s.Addable) > 0
	if canRemove || canAdd {
		id := newSessionID()
		if err := b.saveSession(ctx, req, id, kindGroups, s); err != nil {
			return err
		}
		value := func(i int) string { return id + "#" + strconv.Itoa(i) }
		if canRemove {
			v.RemoveValue = value
		}
		if canAdd {
			v.AddValue = value
		}
	}
	b.reply(ctx, req, deskview.UserGroups(v), b.replaceIfClicked(req))
	return nil
}

// groupClick handles a Remove button or the add select: the action runs on
// exactly the user shown, for the group shown, through requestAction. Slack's
// confirm dialog has been accepted for a Remove.
func (b *Bot) groupClick(ctx context.Context, req *request, value string, remove bool) {
	id, i, ok := splitValue(value)
	var s groupsSession
	if !ok || !b.loadSession(ctx, req, id, kindGroups, &s) {
		if !ok {
			b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		}
		return
	}
	action, list := actions.AddToGroup, s.Addable
	if remove {
		action, list = actions.RemoveFromGroup, s.Member
	}
	pool, poolOK := b.cfg.PoolByName(s.Pool)
	if i < 0 || i >= len(list) || !poolOK {
		b.reply(ctx, req, views.Notice("This button is no longer valid."), replyEphemeral)
		return
	}
	spec, _ := actions.Get(action)
	err := b.requestAction(ctx, req, actionRequest{spec: spec, pool: pool, target: exactly(s.Target), confirmed: remove,
		args: map[string]string{"group": list[i]}, pendingID: "p" + hashKey(value, string(action))})
	if err != nil {
		b.answerError(ctx, req, action, err)
	}
}
