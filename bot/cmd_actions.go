package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
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

// actionRequest is a single-user action on its way to being run.
type actionRequest struct {
	spec   actions.Spec
	pool   config.Pool
	target targetRef
	reason string
	// args are the action's Args by name.
	args map[string]string
	// confirmed is true when Slack's own confirm dialog was accepted (a card
	// button); it stands in for the confirm prompt but never for approval.
	confirmed bool
	// callerVerified is true when the requester ticked "The caller confirmed
	// these" on the prompt that came before asking for approval.
	callerVerified bool
	pendingID      string
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

// execOp is the Cognito work of a single-user action: re-read the user exactly
// (same username, same sub) and, for an approval, check that the approver saw the
// state the user is still in; check again that the action applies and that the
// policy still allows it on the user as they are now (stillAllowed, see
// executeCheck); then call the table's operation.
func execOp(spec actions.Spec, pool config.Pool, target desk.Identity, args, snapshot map[string]string, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		u, err := getExact(ctx, s.Users, pool.ID, target)
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		if snapshot != nil {
			now := desk.SnapshotOf(u)
			for _, k := range []string{"status", "enabled"} {
				if now[k] != snapshot[k] {
					return pipeline.Result{}, &desk.TargetChangedError{Detail: fmt.Sprintf("%s changed from %s to %s since the request", k, snapshot[k], now[k])}
				}
			}
		}
		if why := notApplicable(spec, u, args); why != "" {
			return pipeline.Result{}, &desk.TargetChangedError{Detail: why}
		}
		if stillAllowed != nil {
			if why := stillAllowed(ctx, u); why != "" {
				return pipeline.Result{}, &desk.TargetChangedError{Detail: why}
			}
		}
		res, err := spec.Op(s.Users, ctx, pool.ID, u.Username, args)
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		note := tokensNote(res.TokensValidFor)
		summary := capitalize(spec.Done) + " " + u.Username
		if note != "" {
			summary += "; " + note
		}
		return pipeline.Result{Summary: summary, RequestID: res.RequestID, Note: note,
			Resolved: &audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}}, nil
	}
}

func (b *Bot) replaceIfClicked(req *request) desk.ReplyMode {
	if req.FromMessage {
		return desk.ReplyReplace
	}
	return desk.ReplyEphemeral
}

// resultMessage renders what became of an action, for the message that asked for it.
func (b *Bot) resultMessage(req *request, action actions.Action, pool config.Pool, username string, out pipeline.Outcome) views.Message {
	r := views.ResultView{Action: string(action), Words: words(action), Username: username, Pool: pool.Name,
		By: desk.ToActorView(req.Actor), At: b.Now(), OK: out.Err == nil}
	if out.Result.Done != "" {
		r.Words.Done = out.Result.Done
	}
	if out.Err != nil {
		r.Message = b.UserMessage(out.Err, req, string(action))
	} else if out.Result.Note != "" {
		r.Message = out.Result.Note
	} else if out.AuditGap {
		r.Message = "Done, but the outcome could not be written to the audit log; the operators have been alerted in the logs."
	}
	return views.ActionResult(r)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
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

// withArgs records an action's args with an audit entry (arg.NAME), so the
// log says which contact was verified or which device forgotten.
func withArgs(params, args map[string]string) map[string]string {
	argParams(params, args)
	return params
}

// argParams stores an action's args with a pending action, and argsOf reads them back.
func argParams(params, args map[string]string) {
	for k, v := range args {
		params["arg."+k] = v
	}
}

func argsOf(params map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range params {
		if name, ok := strings.CutPrefix(k, "arg."); ok {
			out[name] = v
		}
	}
	return out
}
