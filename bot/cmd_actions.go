package bot

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// userActionParser parses every single-user action of the table the same way:
// one user, --pool, --reason.
func userActionParser(spec actions.Spec) parser {
	return func(b *Bot, req *request, args []string) (invocation, error) {
		a, err := b.parseUserArgsWith(args, len(spec.Args) > 0, valueFlagsOf(spec), boolFlagsOf(spec))
		if err != nil {
			return invocation{}, err
		}
		opArgs, err := actionArgs(spec, a.rest)
		if err != nil {
			return invocation{}, err
		}
		flagArgs(spec, a.flags, opArgs)
		return invocation{Run: func(ctx context.Context) error {
			ar := actionRequest{spec: spec, pool: a.pool, target: typed(a.query), args: opArgs,
				reason: a.values["reason"], pendingID: "p" + transport.HashKey(req.Ref, string(spec.Action))}
			if b.resolveAt(ctx, req, &ar, a.values[atArg]) {
				return nil
			}
			return b.requestAction(ctx, req, ar)
		}}, nil
	}
}

// requestAction resolves the target (an audited, authorized step) and then, for a
// destructive action or one needing approval, records a pending action and asks
// for confirmation or approval; anything else runs at once.
func (b *Bot) requestAction(ctx context.Context, req *request, ar actionRequest) error {
	action := ar.spec.Action
	u, err := b.resolveOne(ctx, req, "find#"+transport.HashKey(req.Ref, string(action), ar.target.key()), ar.pool, ar.target,
		pickNext{Action: action, Reason: ar.reason, Args: ar.args})
	if u == nil || err != nil {
		return err
	}
	ar.target = exactly(identityOf(u))
	if why := notApplicable(ar.spec, u, ar.args); why != "" {
		b.Pipe.Refuse(ctx, req.Pipe(), pipeline.Step{AuditID: "na#" + transport.HashKey(req.Ref, string(action)), Action: action, Pool: ar.pool.Name,
			Target: ar.target.auditTarget(ar.pool), Params: map[string]string{"phase": "check"}}, why)
		b.Reply(ctx, req, views.Notice(capitalize(ar.spec.Verb)+" "+u.Username+"? Nothing was done. "+why), desk.ReplyEphemeral)
		return nil
	}
	if ar.spec.Action == actions.Edit {
		var done bool
		if ar, done, err = b.reviewEdit(ctx, req, ar, u); done || err != nil {
			return err
		}
	}
	d := b.ask(ctx, req, policy.Request{Action: action, Pool: ar.pool.Name, TargetGroups: u.Groups,
		AddGroups: addedGroups(action, ar.args), Verified: verifies(action, ar.args), HasReason: ar.reason != "",
		BreakGlass: ar.args[breakGlassArg] == "true"})
	if !d.BreakGlass {
		delete(ar.args, breakGlassArg) // nothing to break: no approval to skip
	}
	switch {
	case d.Verdict == policy.Deny:
		b.refuseAsked(ctx, req, pipeline.Step{AuditID: "ask#" + transport.HashKey(req.Ref, string(action)), Action: action, Pool: ar.pool.Name,
			Target: ar.target.auditTarget(ar.pool), Params: withArgs(map[string]string{}, ar.args)}, d)
		return nil
	case d.NeedReason:
		return b.askReason(ctx, req, ar, u)
	case d.Verdict == policy.Allow:
		return b.runNow(ctx, req, ar, u)
	}
	return b.prepare(ctx, req, ar, u, d)
}

// runNow executes a non-destructive action (enable) straight through the pipeline.
//
// Its audit id is the request's pending id — one per card button, pick or typed
// command — so a double click on Resend invite, Enable or Verify runs once.
func (b *Bot) runNow(ctx context.Context, req *request, ar actionRequest, u *cognito.User) error {
	once := cmp.Or(ar.pendingID, "p"+transport.HashKey(req.Ref, string(ar.spec.Action)))
	out, ok := b.do(ctx, req, pipeline.Step{
		AuditID: "exec#" + once, Action: ar.spec.Action, Pool: ar.pool.Name,
		Target: ar.target.auditTarget(ar.pool), Reason: ar.reason,
		Params: withArgs(map[string]string{"phase": "execute", "pool_name": ar.pool.Name}, ar.args),
		Op: execOp(ar.spec, ar.pool, identityOf(u), ar.args, nil,
			b.executeCheck(ctx, req.Actor, req.Channel, ar.pool.Name, ar.spec.Action, ar.args, false)),
	})
	if !ok {
		return nil
	}
	b.Reply(ctx, req, b.resultMessage(req, ar.spec.Action, ar.pool, u.Username, out), b.replaceIfClicked(req))
	return nil
}

// actionArgs matches the words after the user to the action's Args.
func actionArgs(spec actions.Spec, words []string) (map[string]string, error) {
	if len(words) != len(spec.Args) {
		names := make([]string, len(spec.Args))
		for i, a := range spec.Args {
			names[i] = "<" + a.Name + ">"
		}
		if len(names) == 0 {
			return nil, desk.Usagef("Expected one user, got %d arguments. Quote values that contain spaces.", len(words)+1)
		}
		return nil, desk.Usagef("After the user, give %s.", strings.Join(names, " "))
	}
	out := map[string]string{}
	for i, a := range spec.Args {
		v := words[i]
		if len(a.Choices) > 0 {
			i := slices.IndexFunc(a.Choices, func(c string) bool { return strings.EqualFold(c, v) })
			if i < 0 {
				return nil, desk.Usagef("`%s` must be one of: %s.", a.Name, strings.Join(a.Choices, ", "))
			}
			v = a.Choices[i]
		}
		out[a.Name] = v
	}
	return out, nil
}
