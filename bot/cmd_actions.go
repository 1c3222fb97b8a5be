package bot

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// userAction describes one action on a single user: the Cognito call and the words
// used to talk about it. The five commands below are built from this table.
type userAction struct {
	Action  config.Action
	Past    string // "Disabled"
	Detail  string // what the action does, shown in the confirm prompt
	Execute func(d UserDirectory, ctx context.Context, poolID, username string) (cognito.Result, error)
}

var userActions = map[config.Action]userAction{
	config.ActionDisable: {config.ActionDisable, "Disabled",
		"They will no longer be able to sign in, and their access tokens are revoked.", UserDirectory.DisableUser},
	config.ActionEnable: {config.ActionEnable, "Enabled",
		"They will be able to sign in again.", UserDirectory.EnableUser},
	config.ActionResetPassword: {config.ActionResetPassword, "Reset the password of",
		"Their current password stops working and Cognito sends them a reset code.", UserDirectory.ResetPassword},
	config.ActionRevoke: {config.ActionRevoke, "Signed out",
		"Every refresh token is revoked; apps that verify JWTs locally accept current tokens until they expire (≤1 h by default).", UserDirectory.SignOut},
	config.ActionDelete: {config.ActionDelete, "Deleted",
		"The user and their attributes are deleted permanently. This cannot be undone.", UserDirectory.DeleteUser},
}

func actionCommand(name string, aliases []string, action config.Action, summary string) command {
	return command{
		Name:        name,
		Aliases:     aliases,
		Action:      action,
		Usage:       "<username | email | phone | sub> [--pool NAME] [--reason \"…\"]",
		Summary:     summary,
		Destructive: config.Destructive(action),
		Parse: func(b *Bot, req *request, args []string) (invocation, error) {
			a, err := b.parseUserArgs(args, []string{"reason"}, nil)
			if err != nil {
				return invocation{}, err
			}
			return invocation{
				Target: audit.Target{Pool: a.pool.ID, Username: a.query},
				Run: func(ctx context.Context) error {
					return b.requestAction(ctx, req, action, a.pool, a.query, a.values["reason"], false, "p"+hashKey(req.Ref, string(action)))
				},
			}, nil
		},
	}
}

var (
	disableCommand = actionCommand("disable", nil, config.ActionDisable, "Disable a user (asks for confirmation)")
	enableCommand  = actionCommand("enable", nil, config.ActionEnable, "Enable a disabled user")
	resetCommand   = actionCommand("reset-password", []string{"reset"}, config.ActionResetPassword, "Send a password reset code (asks for confirmation)")
	revokeCommand  = actionCommand("revoke", []string{"signout", "logout"}, config.ActionRevoke, "Sign a user out everywhere (asks for confirmation)")
	deleteCommand  = actionCommand("delete", nil, config.ActionDelete, "Delete a user (asks for confirmation; may need approval)")
)

// requestAction resolves the target and then, for a destructive action, records a
// pending action and asks for confirmation or approval; a non-destructive action
// runs at once. confirmed is true when Slack's own confirm dialog was accepted (a
// card button), which stands in for the confirm prompt but never for approval.
func (b *Bot) requestAction(ctx context.Context, req *request, action config.Action, pool config.Pool, query, reason string, confirmed bool, pendingID string) error {
	full, err := b.resolveOne(ctx, req, "find#"+hashKey(req.Ref, string(action), query), pool, query, pickNext{Action: action, Reason: reason})
	if full == nil || err != nil {
		return err
	}
	if !config.Destructive(action) && !b.needsApproval(action) {
		return b.runNow(ctx, req, action, pool, full, reason)
	}
	if reason == "" && b.cfg.RequireReason(action) {
		return b.askReason(ctx, req, action, pool, full, confirmed, pendingID)
	}
	return b.prepare(ctx, req, action, pool, full, reason, confirmed, pendingID)
}

func (b *Bot) needsApproval(action config.Action) bool {
	_, ok := b.cfg.ApprovalFor(action)
	return ok
}

// runNow executes a non-destructive action (enable) straight through the pipeline.
func (b *Bot) runNow(ctx context.Context, req *request, action config.Action, pool config.Pool, u *cognito.User, reason string) error {
	op := b.operationFor(action, pool, audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}, reason, "", nil)
	out := b.run(ctx, req, "exec#"+hashKey(req.Ref, string(action)), op)
	if out.Duplicate {
		return nil
	}
	b.reply(ctx, req, b.resultMessage(req, action, pool, u.Username, out), b.replaceIfClicked(req))
	return nil
}

func (b *Bot) replaceIfClicked(req *request) replyMode {
	if req.FromMessage {
		return replyReplace
	}
	return replyEphemeral
}

// resultMessage renders what became of an action, for the message that asked for it.
func (b *Bot) resultMessage(req *request, action config.Action, pool config.Pool, username string, out outcome) views.Message {
	r := views.ResultView{Action: string(action), Username: username, Pool: pool.Name, By: toActorView(req.Actor), At: b.now(), OK: out.Err == nil}
	if out.Err != nil {
		r.Message = b.userMessage(out.Err, req, string(action))
	} else if out.AuditGap {
		r.Message = "Done, but the outcome could not be written to the audit log; the operators have been alerted in the logs."
	}
	return views.ActionResult(r)
}
