package flows

import (
	"context"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// ActionRequest is a single-user action on its way to being run.
type ActionRequest struct {
	Spec   actions.Spec
	Pool   config.Pool
	Target TargetRef
	Reason string
	// args are the action's Args by name.
	Args map[string]string
	// confirmed is true when Slack's own confirm dialog was accepted (a card
	// button); it stands in for the confirm prompt but never for approval.
	Confirmed bool
	// callerVerified is true when the requester ticked "The caller confirmed
	// these" on the prompt that came before asking for approval.
	callerVerified bool
	PendingID      string
}

// ExecOp is the Cognito work of a single-user action: re-read the user exactly
// (same username, same sub) and, for an approval, check that the approver saw the
// state the user is still in; check again that the action applies and that the
// policy still allows it on the user as they are now (stillAllowed, see
// executeCheck); then call the table's operation.
func ExecOp(spec actions.Spec, pool config.Pool, target desk.Identity, args map[string]string, snapshot *audit.TargetSnapshot, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		u, err := GetExact(ctx, s.Users, pool.ID, target)
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		if snapshot != nil {
			if changed := snapshotChange(*snapshot, *desk.SnapshotOf(u)); changed != "" {
				return pipeline.Result{}, &desk.TargetChangedError{Detail: changed}
			}
		}
		if why := NotApplicable(spec, u, args); why != "" {
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
		summary := Capitalize(spec.Done) + " " + u.Username
		if note != "" {
			summary += "; " + note
		}
		return pipeline.Result{Summary: summary, RequestID: res.RequestID, Note: note,
			Resolved: &audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}}, nil
	}
}

// ReplaceIfClicked answers a click in place of the message clicked, and a
// command with a new message.
func (b *Flows) ReplaceIfClicked(req *transport.Request) desk.ReplyMode {
	if req.FromMessage {
		return desk.ReplyReplace
	}
	return desk.ReplyEphemeral
}

// ResultMessage renders what became of an action, for the message that asked for it.
func (b *Flows) ResultMessage(req *transport.Request, action actions.Action, pool config.Pool, username string, out pipeline.Outcome) views.Message {
	r := views.ResultView{Action: string(action), Words: Words(action), Username: username, Pool: pool.Name,
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

// snapshotChange says how the user's status or enabled flag moved since the
// request was made; "" when neither did.
func snapshotChange(then, now audit.TargetSnapshot) string {
	switch {
	case then.Status != now.Status:
		return fmt.Sprintf("status changed from %s to %s since the request", then.Status, now.Status)
	case then.Enabled != now.Enabled:
		return fmt.Sprintf("enabled changed from %t to %t since the request", then.Enabled, now.Enabled)
	}
	return ""
}

// Capitalize upper-cases the first letter of a verb for a sentence.
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// WithArgs records an action's args with an audit entry (arg.NAME), so the
// log says which contact was verified or which device forgotten.
func WithArgs(params, args map[string]string) map[string]string {
	ArgParams(params, args)
	return params
}

// ArgParams stores an action's args with a pending action, and argsOf reads them back.
func ArgParams(params, args map[string]string) {
	for k, v := range args {
		params["arg."+k] = v
	}
}

// ArgsOf reads back the action args a pending action stored in its params.
func ArgsOf(params map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range params {
		if name, ok := strings.CutPrefix(k, "arg."); ok {
			out[name] = v
		}
	}
	return out
}
