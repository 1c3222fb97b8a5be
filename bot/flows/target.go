package flows

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// maxMatches is how many candidates a search shows to pick from.
const maxMatches = 10

// TargetRef is who a request is about before it is resolved: either what a
// person typed (a username, email, phone or sub, classified by the directory) or
// an identity a button or session remembered, resolved exactly.
type TargetRef struct {
	query string
	Exact *desk.Identity
}

// Typed, Exactly and IdentityOf make target references: a query as typed,
// a stored identity resolved exactly, and the identity of a user just read.
func Typed(q string) TargetRef           { return TargetRef{query: q} }
func Exactly(id desk.Identity) TargetRef { return TargetRef{Exact: &id} }
func IdentityOf(u *cognito.User) desk.Identity {
	return desk.Identity{Username: u.Username, Sub: u.Sub}
}

// Key is a stable text for deterministic ids.
func (t TargetRef) Key() string {
	if t.Exact != nil {
		return "=" + t.Exact.Username + "\x00" + t.Exact.Sub
	}
	return "?" + t.query
}

// AuditTarget is the target as far as it is known before resolving.
func (t TargetRef) AuditTarget(pool config.Pool) audit.Target {
	if t.Exact != nil {
		return audit.Target{Pool: pool.ID, Username: t.Exact.Username, Sub: t.Exact.Sub}
	}
	return audit.Target{Pool: pool.ID, Username: t.query}
}

// GetExact reads the user a stored identity names: by exact username, and only
// if the sub still matches — a user deleted and re-created under the same name,
// or an alias resolving elsewhere, is a different person.
func GetExact(ctx context.Context, d pipeline.Directory, poolID string, id desk.Identity) (*cognito.User, error) {
	u, err := d.GetUser(ctx, poolID, id.Username)
	if err != nil {
		return nil, err
	}
	if u.Username != id.Username || (id.Sub != "" && u.Sub != id.Sub) {
		return nil, &desk.TargetChangedError{Detail: "this is no longer the user that was shown (it was deleted and re-created, or the name now resolves to someone else)"}
	}
	return u, nil
}

// findOp resolves ref within pool: a stored identity exactly, a typed query by
// search (and, for a single match, a full read whose sub must agree).
func findOp(pool config.Pool, ref TargetRef, users *[]cognito.User, full **cognito.User, then readMore) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	find := findOnly(pool, ref, users, full)
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		res, err := find(ctx, s)
		if err != nil || then == nil || *full == nil {
			return res, err
		}
		if err := then(ctx, s, *full); err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		return res, nil
	}
}

// readMore is further reading about the user just resolved, within the same
// audited step (the pool's description for a diagnosis, sign-in events, devices).
type readMore func(ctx context.Context, s pipeline.Services, u *cognito.User) error

func findOnly(pool config.Pool, ref TargetRef, users *[]cognito.User, full **cognito.User) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		if ref.Exact != nil {
			u, err := GetExact(ctx, s.Users, pool.ID, *ref.Exact)
			if err != nil {
				return pipeline.Result{RequestID: cognito.RequestID(err)}, err
			}
			*users, *full = []cognito.User{*u}, u
			return pipeline.Result{Summary: "found exactly", Resolved: &audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}}, nil
		}
		found, err := s.Users.FindUsers(ctx, pool.ID, ref.query, maxMatches)
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		*users = found
		if len(found) != 1 {
			return pipeline.Result{Summary: fmt.Sprintf("%d matches", len(found))}, nil
		}
		u, err := GetExact(ctx, s.Users, pool.ID, desk.Identity{Username: found[0].Username, Sub: found[0].Sub})
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		*full = u
		return pipeline.Result{Summary: "1 match", Resolved: &audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}}, nil
	}
}

// PickNext says what to do with the user chosen from a list of matches.
type PickNext struct {
	Action actions.Action
	Public bool
	Reason string
	Limit  int               // entries to show, for audit
	Args   map[string]string // the action's args
}

// ResolveOne resolves ref to exactly one user for next.Action, as an audited step.
// When it returns no user the interaction is already answered: refused, no match, a
// list to pick from, or a redelivery that was handled before.
func (b *Flows) ResolveOne(ctx context.Context, req *transport.Request, auditID string, pool config.Pool, ref TargetRef, next PickNext) (*cognito.User, error) {
	return b.ResolveOneThen(ctx, req, auditID, pool, ref, next, nil)
}

// ResolveOneThen is resolveOne that also runs then on the resolved user in the
// same audited step.
func (b *Flows) ResolveOneThen(ctx context.Context, req *transport.Request, auditID string, pool config.Pool, ref TargetRef, next PickNext, then readMore) (*cognito.User, error) {
	var users []cognito.User
	var full *cognito.User
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditID, Action: next.Action, Pool: pool.Name, Target: ref.AuditTarget(pool),
		Phase: "find",
		Op:    findOp(pool, ref, &users, &full, then),
	})
	switch {
	case !ok:
		return nil, nil
	case out.Err != nil:
		return nil, out.Err
	case len(users) == 0:
		b.Reply(ctx, req, views.Notice(fmt.Sprintf("No user in pool %s matches %q.", pool.Name, ref.query)), desk.ReplyEphemeral)
		return nil, nil
	case len(users) > 1:
		return nil, b.showMatches(ctx, req, pool, ref.query, users, next)
	}
	return full, nil
}

// Do runs a step through the pipeline and answers a refusal. It returns false
// when the caller has nothing more to do: refused, or already handled.
func (b *Flows) Do(ctx context.Context, req *transport.Request, s pipeline.Step) (pipeline.Outcome, bool) {
	out := b.Pipe.Do(ctx, req.Pipe(), s)
	switch {
	case out.Denied != "":
		b.Reply(ctx, req, views.Notice("Not allowed: "+out.Denied), desk.ReplyEphemeral)
		return out, false
	case out.Duplicate:
		return out, false
	}
	return out, true
}

// showMatches offers a short list when a query matched several users. The list
// remembers each candidate's exact username and sub, never the query.
func (b *Flows) showMatches(ctx context.Context, req *transport.Request, pool config.Pool, query string, users []cognito.User, next PickNext) error {
	id := desk.NewSessionID()
	s := desk.PickSession{Pool: pool.Name, Action: next.Action, Public: next.Public, Reason: next.Reason, Limit: next.Limit, Args: next.Args}
	rows := make([]views.UserView, len(users))
	for i := range users {
		s.Choices = append(s.Choices, IdentityOf(&users[i]))
		rows[i] = desk.ToUserView(users[i])
	}
	if err := desk.PickSessions.Save(ctx, b.Desk, req, id, s); err != nil {
		return err
	}
	b.Reply(ctx, req, views.MatchesList(query, desk.ToPoolView(pool), rows, func(i int) string { return id + "#" + strconv.Itoa(i) }), b.ReplaceIfClicked(req))
	return nil
}
