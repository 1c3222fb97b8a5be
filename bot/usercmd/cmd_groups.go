package usercmd

import (
	"context"
	"slices"
	"strconv"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// groupsSessions are the sessions behind a user's groups message.
var groupsSessions = desk.NewSessionKind[GroupsSession]("groups")

// GroupsSession backs the Remove buttons and the add select of one user's
// groups message: the exact user and the groups shown, by index.
type GroupsSession struct {
	Pool    string        `json:"pool"`
	Target  desk.Identity `json:"target"`
	Member  []string      `json:"member"`
	Addable []string      `json:"addable"`
}

// ParseGroups parses `groups`: the pool's groups, or one user's.
func ParseGroups(b *OneUser, req *transport.Request, args []string) (Invocation, error) {
	f, err := desk.ParseFlags(args, []string{"pool"}, nil)
	if err != nil {
		return Invocation{}, err
	}
	pool, err := b.Pool(f)
	if err != nil {
		return Invocation{}, err
	}
	if len(f.Pos) == 0 {
		return Invocation{Run: func(ctx context.Context) error { return b.poolGroups(ctx, req, pool) }}, nil
	}
	q, err := desk.OnePositional(f, "username, email, phone or sub")
	if err != nil {
		return Invocation{}, err
	}
	return Invocation{Run: func(ctx context.Context) error { return b.UserGroups(ctx, req, pool, flows.Typed(q)) }}, nil
}

// poolGroups lists the pool's groups (ListGroups) as an audited read.
func (b *OneUser) poolGroups(ctx context.Context, req *transport.Request, pool config.Pool) error {
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
	b.Reply(ctx, req, deskview.GroupsList(desk.ToPoolView(pool), rows), desk.ReplyEphemeral)
	return nil
}

func (b *OneUser) describeGroups(ctx context.Context, req *transport.Request, pool config.Pool, target audit.Target) ([]cognito.Group, bool, error) {
	var groups []cognito.Group
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditid.ForRequest(auditid.Groups, req.Ref, target.Username), Action: actions.Groups, Pool: pool.Name, Target: target,
		Phase: "list-groups",
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

// UserGroups shows one user's groups with a Remove button each and an "Add to
// group" select, for what the viewer may do here.
func (b *OneUser) UserGroups(ctx context.Context, req *transport.Request, pool config.Pool, ref flows.TargetRef) error {
	u, err := b.ResolveOne(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, string(actions.Groups), ref.Key()), pool, ref, flows.PickNext{Action: actions.Groups})
	if u == nil || err != nil {
		return err
	}
	all, ok, err := b.describeGroups(ctx, req, pool, audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub})
	if !ok || err != nil {
		return err
	}
	s := GroupsSession{Pool: pool.Name, Target: flows.IdentityOf(u), Member: slices.Clone(u.Groups)}
	for _, g := range all {
		if !slices.Contains(u.Groups, g.Name) {
			s.Addable = append(s.Addable, g.Name)
		}
	}
	allowed := b.Policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, pool.Name)
	v := deskview.UserGroupsView{Username: u.Username, Pool: desk.ToPoolView(pool), Groups: s.Member, Addable: s.Addable}
	canRemove := slices.Contains(allowed, actions.RemoveFromGroup) && len(s.Member) > 0
	canAdd := slices.Contains(allowed, actions.AddToGroup) && len(s.Addable) > 0
	if canRemove || canAdd {
		id := desk.NewSessionID()
		if err := groupsSessions.Save(ctx, b.Desk, req, id, s); err != nil {
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
	b.Reply(ctx, req, deskview.UserGroups(v), b.ReplaceIfClicked(req))
	return nil
}

// GroupClick handles a Remove button or the add select: the action runs on
// exactly the user shown, for the group shown, through requestAction. Slack's
// confirm dialog has been accepted for a Remove.
func (b *OneUser) GroupClick(ctx context.Context, req *transport.Request, value string, remove bool) {
	id, i, ok := desk.SplitValue(value)
	if !ok {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	}
	s, loaded := groupsSessions.Load(ctx, b.Desk, req, id)
	if !loaded {
		return
	}
	action, list := actions.AddToGroup, s.Addable
	if remove {
		action, list = actions.RemoveFromGroup, s.Member
	}
	pool, poolOK := b.Cfg.PoolByName(s.Pool)
	if i < 0 || i >= len(list) || !poolOK {
		b.Reply(ctx, req, views.Notice("This button is no longer valid."), desk.ReplyEphemeral)
		return
	}
	spec, _ := actions.Get(action)
	err := b.RequestAction(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: flows.Exactly(s.Target), Confirmed: remove,
		Args: map[string]string{"group": list[i]}, PendingID: "p" + transport.HashKey(value, string(action))})
	if err != nil {
		b.AnswerError(ctx, req, action, err)
	}
}
