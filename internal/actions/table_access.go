package actions

import (
	"context"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Access: the actions that let a user sign in or keep them out, and the
// deletion with its undo window.

// The access actions. Roles list them by these names.
const (
	// Disable stops a user from signing in.
	Disable Action = "disable"
	// Enable lets a disabled user sign in again.
	Enable Action = "enable"
	// ResetPassword forces a password reset.
	ResetPassword Action = "reset-password"
	// Revoke signs a user out everywhere.
	Revoke Action = "revoke"
	// Delete removes a user permanently (after the undo window, if one is set).
	Delete Action = "delete"
	// Undo restores a user whose deletion waits out its undo window.
	Undo Action = "undo"
)

// AccessOps are the directory calls of the access actions (and of suspend,
// which disables and signs out). They are declared here, next to the entries
// whose operations call them; UserOps embeds them.
type AccessOps interface {
	DisableUser(ctx context.Context, poolID, username string) (cognito.Result, error)
	EnableUser(ctx context.Context, poolID, username string) (cognito.Result, error)
	ResetPassword(ctx context.Context, poolID, username string) (cognito.Result, error)
	SignOut(ctx context.Context, poolID, username string) (cognito.Result, error)
	DeleteUser(ctx context.Context, poolID, username string) (cognito.Result, error)
}

// accessTable is the access actions' part of the table, in help order.
var accessTable = []Spec{
	{Action: Disable, Bulk: true, Scope: ScopeUser, Usage: userUsage + atUsage, Destructive: true, Schedulable: true,
		Summary: "Disable a user (asks for confirmation)", Verb: "disable", Done: "disabled", Button: "Disable", ButtonStyle: "danger",
		Detail: "They will no longer be able to sign in, and their access tokens are revoked.",
		Op:     plain(UserOps.DisableUser), Unchanged: disableUnchanged, Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminDisableUser"),
		Repeatable: true, Reached: isDisabled},
	{Action: Enable, Bulk: true, Scope: ScopeUser, Usage: userUsage,
		Summary: "Enable a disabled user", Verb: "enable", Done: "enabled", Button: "Enable", ButtonStyle: "primary",
		Detail: "They will be able to sign in again.",
		Op:     plain(UserOps.EnableUser), Unchanged: enableUnchanged, Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminEnableUser"),
		Repeatable: true, Reached: isEnabled},
	{Action: ResetPassword, Bulk: true, Aliases: []string{"reset"}, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Send a password reset code (asks for confirmation)", Verb: "reset the password of", Done: "reset the password of", Button: "Reset password",
		Detail: "Their current password stops working and Cognito sends them a reset code.",
		Op:     plain(UserOps.ResetPassword), Applies: resetApplies, Quota: "UserAccountRecovery",
		IAM: withFind("cognito-idp:AdminResetUserPassword", "cognito-idp:DescribeUserPool"),
		// A second reset sends a second code; RESET_REQUIRED shows the first took.
		Repeatable: false, Reached: isResetRequired},
	{Action: Revoke, Bulk: true, Aliases: []string{"signout", "logout"}, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Sign a user out everywhere (asks for confirmation)", Verb: "revoke all sessions of", Done: "revoked all sessions of", Button: "Revoke sessions",
		Detail: "Every refresh token is revoked; apps that verify JWTs locally accept current tokens until they expire (≤1 h by default).",
		Op:     plain(UserOps.SignOut), Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminUserGlobalSignOut"),
		// A sign-out leaves nothing to read back; doing it twice is harmless.
		Repeatable: true},
	{Action: Delete, Bulk: true, Scope: ScopeUser, Usage: UserArg + " [--now] [--pool NAME] [--reason \"…\"] [--break-glass]" + atUsage, Destructive: true, Schedulable: true,
		Summary: "Delete a user: disabled at once, deleted for good when the undo window ends, unless `undo` (--now: at once; asks for confirmation; may need approval)", Verb: "delete", Done: "deleted", Button: "Delete", ButtonStyle: "danger",
		Detail: "The user and their attributes are deleted permanently. This cannot be undone.",
		Flags:  []string{"now"},
		Op:     plain(UserOps.DeleteUser), Quota: "UserUpdate",
		// Within the undo window a delete disables and signs out first (as suspend does).
		IAM: withFind("cognito-idp:AdminDeleteUser", "cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut",
			"cognito-idp:ListUserPoolClients", "cognito-idp:DescribeUserPoolClient"),
		Repeatable: true, Reached: isGone},
	{Action: Undo, Scope: ScopeUser, Usage: userUsage,
		Summary: "Restore a user deleted within the undo window (enable, groups) and cancel the deletion",
		Verb:    "undo the deletion of", Done: "restored",
		Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminEnableUser", "cognito-idp:AdminAddUserToGroup")},
}

// The Reached checks of the access actions: the state each one leaves, read
// back from the user (nil when they no longer exist).

func isDisabled(u *cognito.User, _ map[string]string) bool { return u != nil && !u.Enabled }
func isEnabled(u *cognito.User, _ map[string]string) bool  { return u != nil && u.Enabled }
func isResetRequired(u *cognito.User, _ map[string]string) bool {
	return u != nil && u.Status == statusReset
}
func isGone(u *cognito.User, _ map[string]string) bool { return u == nil }
