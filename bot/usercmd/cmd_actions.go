package usercmd

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// UserActionParser parses every single-user action of the table the same way:
// one user, --pool, --reason.
func UserActionParser(spec actions.Spec) Parser {
	return func(b *OneUser, req *transport.Request, args []string) (Invocation, error) {
		a, err := b.ParseUserArgsWith(args, len(spec.Args) > 0, jobs.ValueFlagsOf(spec), flows.BoolFlagsOf(spec))
		if err != nil {
			return Invocation{}, err
		}
		opArgs, err := ActionArgs(spec, a.Rest)
		if err != nil {
			return Invocation{}, err
		}
		jobs.FlagArgs(spec, a.Flags, opArgs)
		return Invocation{Run: func(ctx context.Context) error {
			ar := flows.ActionRequest{Spec: spec, Pool: a.Pool, Target: flows.Typed(a.Query), Args: opArgs,
				Reason: a.Values["reason"], PendingID: "p" + transport.HashKey(req.Ref, string(spec.Action))}
			if b.ResolveAt(ctx, req, &ar, a.Values[jobs.AtArg]) {
				return nil
			}
			return b.RequestAction(ctx, req, ar)
		}}, nil
	}
}

// RequestAction resolves the target (an audited, authorized step) and then, for a
// destructive action or one needing approval, records a pending action and asks
// for confirmation or approval; anything else runs at once.
func (b *OneUser) RequestAction(ctx context.Context, req *transport.Request, ar flows.ActionRequest) error {
	action := ar.Spec.Action
	u, err := b.ResolveOne(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, string(action), ar.Target.Key()), ar.Pool, ar.Target,
		flows.PickNext{Action: action, Reason: ar.Reason, Args: ar.Args})
	if u == nil || err != nil {
		return err
	}
	ar.Target = flows.Exactly(flows.IdentityOf(u))
	if why := flows.NotApplicable(ar.Spec, u, ar.Args); why != "" {
		b.Pipe.Refuse(ctx, req.Pipe(), pipeline.Step{AuditID: auditid.ForRequest(auditid.NotApplicable, req.Ref, string(action)), Action: action, Pool: ar.Pool.Name,
			Target: ar.Target.AuditTarget(ar.Pool), Phase: "check"}, why)
		b.Reply(ctx, req, views.Notice(flows.Capitalize(ar.Spec.Verb)+" "+u.Username+"? Nothing was done. "+why), desk.ReplyEphemeral)
		return nil
	}
	if ar.Spec.Action == actions.Edit {
		var done bool
		if ar, done, err = b.reviewEdit(ctx, req, ar, u); done || err != nil {
			return err
		}
	}
	d := b.Ask(ctx, req, policy.Request{Action: action, Pool: ar.Pool.Name, TargetGroups: u.Groups,
		AddGroups: flows.AddedGroups(action, ar.Args), Verified: flows.Verifies(action, ar.Args), HasReason: ar.Reason != "",
		BreakGlass: ar.Args[flows.BreakGlassArg] == "true"})
	if !d.BreakGlass {
		delete(ar.Args, flows.BreakGlassArg) // nothing to break: no approval to skip
	}
	switch {
	case d.Verdict == policy.Deny:
		b.RefuseAsked(ctx, req, pipeline.Step{AuditID: auditid.ForRequest(auditid.Ask, req.Ref, string(action)), Action: action, Pool: ar.Pool.Name,
			Target: ar.Target.AuditTarget(ar.Pool), Params: flows.WithArgs(map[string]string{}, ar.Args)}, d)
		return nil
	case d.NeedReason:
		return b.askReason(ctx, req, ar, u)
	case d.Verdict == policy.Allow:
		return b.runNow(ctx, req, ar, u)
	}
	return b.Prepare(ctx, req, ar, u, d)
}

// runNow executes a non-destructive action (enable) straight through the pipeline.
//
// Its audit id is the request's pending id — one per card button, pick or typed
// command — so a double click on Resend invite, Enable or Verify runs once.
// Its intent names the user just resolved exactly (username and sub) and is
// marked direct (flows.DirectParam): with no pending item, that is what the
// sweeper reads back if the bot stops mid-call.
func (b *OneUser) runNow(ctx context.Context, req *transport.Request, ar flows.ActionRequest, u *cognito.User) error {
	once := cmp.Or(ar.PendingID, "p"+transport.HashKey(req.Ref, string(ar.Spec.Action)))
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditid.ForExec(once), Action: ar.Spec.Action, Pool: ar.Pool.Name,
		Target: audit.Target{Pool: ar.Pool.ID, Username: u.Username, Sub: u.Sub}, Reason: ar.Reason,
		Phase: flows.PhaseExecute, Params: flows.WithArgs(map[string]string{"pool_name": ar.Pool.Name, flows.DirectParam: "true"}, ar.Args),
		Op: flows.ExecOp(ar.Spec, ar.Pool, flows.IdentityOf(u), ar.Args, nil,
			b.ExecuteCheck(ctx, req.Actor, req.Channel, ar.Pool.Name, ar.Spec.Action, ar.Args, false)),
	})
	if !ok {
		return nil
	}
	b.Reply(ctx, req, b.ResultMessage(req, ar.Spec.Action, ar.Pool, u.Username, out), b.ReplaceIfClicked(req))
	return nil
}

// ActionArgs matches the words after the user to the action's Args.
func ActionArgs(spec actions.Spec, words []string) (map[string]string, error) {
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
