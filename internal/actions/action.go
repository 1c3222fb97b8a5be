package actions

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Action names one /cognito subcommand. It is the unit that roles grant,
// approval rules guard and audit entries record, so the config file, the policy
// and the bot share one vocabulary.
type Action string

// The actions the bot knows. Roles list them by these names.
const (
	// Help lists the commands the caller may run.
	Help Action = "help"
	// Lookup shows one user's card.
	Lookup Action = "lookup"
	// List pages through a pool's users.
	List Action = "list"
	// Disable stops a user from signing in.
	Disable Action = "disable"
	// Enable lets a disabled user sign in again.
	Enable Action = "enable"
	// ResetPassword forces a password reset.
	ResetPassword Action = "reset-password"
	// Revoke signs a user out everywhere.
	Revoke Action = "revoke"
	// Delete removes a user permanently.
	Delete Action = "delete"
	// Audit reads the bot's own audit log.
	Audit Action = "audit"
	// Pools lists the configured pools.
	Pools Action = "pools"
	// Bulk applies a single-user action to many users as a job.
	Bulk Action = "bulk"

	// Create makes a new user and invites them (or shows a temporary password).
	Create Action = "create"
	// Edit changes a user's attributes.
	Edit Action = "edit"
	// Groups lists the pool's groups, or one user's with buttons to change them.
	Groups Action = "groups"
	// AddToGroup puts a user in a group.
	AddToGroup Action = "add-to-group"
	// RemoveFromGroup takes a user out of a group.
	RemoveFromGroup Action = "remove-from-group"

	// ResendInvite re-sends the invitation of a user who never signed in.
	ResendInvite Action = "resend-invite"
	// ConfirmSignUp confirms a self-signed-up user who never entered the code.
	ConfirmSignUp Action = "confirm-signup"
	// Verify marks a user's email or phone verified so codes reach it.
	Verify Action = "verify"
	// ResetMFA turns off a user's SMS and TOTP MFA (lost phone).
	ResetMFA Action = "reset-mfa"
	// Suspend is the kill switch: disable and sign out everywhere at once.
	Suspend Action = "suspend"
	// ForgetDevice makes Cognito forget one of a user's remembered devices.
	ForgetDevice Action = "forget-device"
	// History shows a user's recent sign-in events.
	History Action = "history"
	// Devices lists a user's remembered devices.
	Devices Action = "devices"
	// Why says why a user can or cannot sign in, and what fixes it.
	Why Action = "why"
	// Export sends a CSV of a pool's users to the requester.
	Export Action = "export"
	// Import creates users from a CSV as a bulk job.
	Import Action = "import"

	// Any is the wildcard a role lists to be granted every action, including
	// ones added in later versions. It is not an action in its own right.
	Any Action = "*"
)

// Scope says what an action is about, which decides whether a pool applies to
// its authorization.
type Scope int

const (
	// ScopeNone is an action about the bot itself (help, pools): no pool applies.
	ScopeNone Scope = iota
	// ScopePool is an action on a pool as a whole (list).
	ScopePool
	// ScopeUser is an action on one user of a pool.
	ScopeUser
)

// UserOps is the part of the user directory that single-user operations call.
// It is declared here, where the table's operations consume it.
type UserOps interface {
	DisableUser(ctx context.Context, poolID, username string) (cognito.Result, error)
	EnableUser(ctx context.Context, poolID, username string) (cognito.Result, error)
	ResetPassword(ctx context.Context, poolID, username string) (cognito.Result, error)
	SignOut(ctx context.Context, poolID, username string) (cognito.Result, error)
	DeleteUser(ctx context.Context, poolID, username string) (cognito.Result, error)

	AddToGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error)
	RemoveFromGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error)
	UpdateAttributes(ctx context.Context, poolID, username string, attrs map[string]string) ([]string, cognito.Result, error)
	DeleteAttributes(ctx context.Context, poolID, username string, names []string) (cognito.Result, error)
	ResendInvitation(ctx context.Context, poolID, username string) (cognito.Result, error)
	ConfirmSignUp(ctx context.Context, poolID, username string) (cognito.Result, error)
	MarkVerified(ctx context.Context, poolID, username, attribute string) (cognito.Result, error)
	ResetMFA(ctx context.Context, poolID, username string) (cognito.Result, error)
	ForgetDevice(ctx context.Context, poolID, username, deviceKey string) (cognito.Result, error)
	TokenLifetime(ctx context.Context, poolID string) (time.Duration, error)
}

// UserOp is the Cognito call of a single-user action, made on a user already
// resolved exactly (by exact username, with the sub checked). args holds the
// action's Args by name, already validated.
type UserOp func(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error)

// Arg is a word a single-user action takes after the user, such as the group of
// add-to-group. It is parsed, validated, kept with a pending action and handed
// to the operation by name.
type Arg struct {
	// Name is the key in the operation's args and in usage ("group").
	Name string
	// Choices, when set, are the only values accepted (case-insensitive).
	Choices []string
}

// plain adapts a directory method that needs no args to a UserOp.
func plain(f func(UserOps, context.Context, string, string) (cognito.Result, error)) UserOp {
	return func(d UserOps, ctx context.Context, poolID, username string, _ map[string]string) (cognito.Result, error) {
		return f(d, ctx, poolID, username)
	}
}

// Spec is one action as data.
type Spec struct {
	// Action is the name roles grant and users type.
	Action Action
	// Aliases are other words that run the same command.
	Aliases []string
	// Usage is the arguments after the command name, for help and usage errors.
	Usage string
	// Summary is the one-line help text.
	Summary string
	// Scope decides whether roles' pool restrictions apply.
	Scope Scope
	// Destructive actions lock a user out or lose data: they are confirmed first.
	Destructive bool
	// Verb and Done phrase the action in prompts and results: "reset the
	// password of" alice, "reset the password of" alice.
	Verb, Done string
	// Detail tells the confirm prompt what will happen.
	Detail string
	// Button is the lookup-card button label; "" means the card has no button.
	Button string
	// ButtonStyle is the card button's Block Kit style: "danger", "primary" or "".
	ButtonStyle string
	// Args are the words a single-user action takes after the user.
	Args []Arg
	// Op is the Cognito call of a single-user action; nil for the others.
	Op UserOp
	// Bulk says the action can run as a bulk job: Op needs nothing per user
	// beyond the Args typed once on the command line. Edit (its changes are not
	// Args) and forget-device (a device key belongs to one user) cannot.
	Bulk bool
	// Quota is the Cognito quota category Op spends (cognito.Quotas field name).
	Quota string
	// QuotaCalls is how many calls of Quota one run of Op makes (0 means 1):
	// suspend disables and then signs out. Bulk jobs pace and estimate by it.
	QuotaCalls int
	// IAM lists the IAM actions the command's Cognito calls need.
	IAM []string
	// Applies, when set, says whether the action makes sense for the user as
	// they are now: "" if it does, else a sentence saying why not and what to
	// do instead. It is asked before anything is written or confirmed, and
	// again on the user re-read just before the operation.
	Applies func(u cognito.User, args map[string]string) string
	// Repeatable says running Op again on a user it already ran on does no
	// harm (disable, sign-out, group changes): a bulk target whose runner
	// stopped mid-call may run again when Reached cannot tell what happened.
	// Calls that notify the user again (reset-password, resend-invite) are not.
	Repeatable bool
	// Reached, when set, tells from the user read back whether Op has taken
	// effect (u is nil when the user no longer exists). A bulk target whose
	// runner stopped mid-call is settled by it: reached means done, not
	// reached means the call never took effect and runs again. Without it, a
	// target that is not Repeatable stays "outcome unknown".
	Reached func(u *cognito.User, args map[string]string) bool
}

// userArg is how every usage line names the target user: any of these finds them.
const userArg = "<username | email | phone | sub>"

// userUsage is the argument list shared by every single-user action.
const userUsage = userArg + " [--pool NAME] [--reason \"…\"]"

// findIAM is what resolving a user (search, then read) needs.
var findIAM = []string{"cognito-idp:ListUsers", "cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"}

func withFind(iam ...string) []string { return append(slices.Clone(findIAM), iam...) }

// table is the single list, in help order.
var table = []Spec{
	{Action: Help, Usage: "[command]", Summary: "Show the commands you may run here, or one command's usage"},
	{Action: Lookup, Aliases: []string{"find", "user"}, Scope: ScopeUser,
		Usage:   userArg + " [--pool NAME] [--public]",
		Summary: "Show a user's card (only you see it unless --public, which masks email and phone)",
		Quota:   "UserRead", IAM: withFind("cognito-idp:DescribeUserPool")},
	{Action: List, Scope: ScopePool,
		Usage:   "[--status STATUS] [--enabled | --disabled] [--prefix ATTR=VALUE] [--group NAME] [--limit N] [--pool NAME]",
		Summary: "List users a page at a time (default 20, at most 60 per page)",
		Quota:   "UserList", IAM: []string{"cognito-idp:ListUsers", "cognito-idp:ListUsersInGroup"}},
	{Action: Disable, Bulk: true, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Disable a user (asks for confirmation)", Verb: "disable", Done: "disabled", Button: "Disable", ButtonStyle: "danger",
		Detail: "They will no longer be able to sign in, and their access tokens are revoked.",
		Op:     plain(UserOps.DisableUser), Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminDisableUser")},
	{Action: Enable, Bulk: true, Scope: ScopeUser, Usage: userUsage,
		Summary: "Enable a disabled user", Verb: "enable", Done: "enabled", Button: "Enable", ButtonStyle: "primary",
		Detail: "They will be able to sign in again.",
		Op:     plain(UserOps.EnableUser), Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminEnableUser")},
	{Action: ResetPassword, Bulk: true, Aliases: []string{"reset"}, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Send a password reset code (asks for confirmation)", Verb: "reset the password of", Done: "reset the password of", Button: "Reset password",
		Detail: "Their current password stops working and Cognito sends them a reset code.",
		Op:     plain(UserOps.ResetPassword), Applies: resetApplies, Quota: "UserAccountRecovery",
		IAM: withFind("cognito-idp:AdminResetUserPassword", "cognito-idp:DescribeUserPool")},
	{Action: Revoke, Bulk: true, Aliases: []string{"signout", "logout"}, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Sign a user out everywhere (asks for confirmation)", Verb: "revoke all sessions of", Done: "revoked all sessions of", Button: "Revoke sessions",
		Detail: "Every refresh token is revoked; apps that verify JWTs locally accept current tokens until they expire (≤1 h by default).",
		Op:     plain(UserOps.SignOut), Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminUserGlobalSignOut")},
	{Action: Delete, Bulk: true, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Delete a user (asks for confirmation; may need approval)", Verb: "delete", Done: "deleted", Button: "Delete", ButtonStyle: "danger",
		Detail: "The user and their attributes are deleted permanently. This cannot be undone.",
		Op:     plain(UserOps.DeleteUser), Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminDeleteUser")},
	{Action: Audit, Scope: ScopeUser,
		Usage:   userArg + " | --actor @someone | --reason TEXT | --ticket ID [--limit N] [--pool NAME] | verify [--since 24h]",
		Summary: "Show the newest audit entries about a user, by a Slack user, or whose reason has a text or ticket id; verify checks the log's hash chain",
		Quota:   "UserList", IAM: withFind()},
	{Action: Pools, Summary: "List the user pools this bot manages (the first is the default)"},

	{Action: Create, Scope: ScopeUser,
		Usage:   "[<username> --email E [--phone +E164] [--name \"N\"] [--attr NAME=VALUE]… [--group G]… [--suppress-invite] [--verified]] [--pool NAME]",
		Summary: "Create a user and send the invitation (alone: opens a form); --suppress-invite shows you a temporary password instead",
		Quota:   "UserCreation",
		IAM: []string{"cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser", "cognito-idp:AdminAddUserToGroup",
			"cognito-idp:AdminListGroupsForUser", "cognito-idp:DescribeUserPool", "cognito-idp:ListGroups"}},
	{Action: Edit, Scope: ScopeUser, Destructive: true,
		Usage:   userArg + " [NAME=VALUE …] [--verified] [--pool NAME] [--reason \"…\"]",
		Summary: "Change a user's attributes (alone: opens a form; asks for confirmation; an empty value deletes)",
		Verb:    "change the attributes of", Done: "changed the attributes of",
		Detail: "Only the attributes listed change; an emptied value is deleted.",
		Op:     EditAttributes, Quota: "UserUpdate",
		IAM: withFind("cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminDeleteUserAttributes", "cognito-idp:DescribeUserPool")},
	{Action: Groups, Scope: ScopeUser,
		Usage:   "[" + userArg + "] [--pool NAME]",
		Summary: "List the pool's groups, or a user's groups with buttons to add and remove",
		Quota:   "UserPoolResourceRead", IAM: withFind("cognito-idp:ListGroups")},
	{Action: AddToGroup, Bulk: true, Scope: ScopeUser, Usage: userArg + " <group> [--pool NAME] [--reason \"…\"]",
		Summary: "Add a user to a group", Verb: "add to a group", Done: "added to the group",
		Detail: "The membership shows in tokens issued from now on.",
		Args:   []Arg{{Name: "group"}},
		Op: func(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error) {
			return d.AddToGroup(ctx, poolID, username, args["group"])
		}, Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminAddUserToGroup")},
	{Action: RemoveFromGroup, Bulk: true, Scope: ScopeUser, Destructive: true,
		Usage:   userArg + " <group> [--pool NAME] [--reason \"…\"]",
		Summary: "Remove a user from a group (asks for confirmation)", Verb: "remove from a group", Done: "removed from the group",
		Detail: "They lose what the group grants as soon as their current tokens expire.",
		Args:   []Arg{{Name: "group"}},
		Op: func(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error) {
			return d.RemoveFromGroup(ctx, poolID, username, args["group"])
		}, Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminRemoveUserFromGroup")},
	{Action: Bulk, Scope: ScopePool,
		Usage:   "<action> [args] <user> <user> … | <action> [args] --status S | --enabled | --disabled | --group G | --prefix ATTR=VALUE | --created-before 30d [--pool NAME] [--reason \"…\"]",
		Summary: "Run an action on many users as a job: dry run first, then confirm; progress, cancel and a results CSV",
		Quota:   "UserList", IAM: []string{"cognito-idp:ListUsers", "cognito-idp:ListUsersInGroup", "cognito-idp:AdminGetUser"}},
	{Action: ResendInvite, Bulk: true, Scope: ScopeUser, Usage: userUsage,
		Summary: "Re-send the invitation to a user who never signed in (FORCE_CHANGE_PASSWORD)",
		Verb:    "resend the invitation to", Done: "resent the invitation to", Button: "Resend invite", ButtonStyle: "primary",
		Detail: "Cognito sends a new temporary password; the old one stops working.",
		Op:     plain(UserOps.ResendInvitation), Applies: resendApplies,
		Quota: "UserCreation", IAM: withFind("cognito-idp:AdminCreateUser")},
	{Action: ConfirmSignUp, Bulk: true, Scope: ScopeUser, Usage: userUsage,
		Summary: "Confirm a user who signed up but never entered the code (UNCONFIRMED)",
		Verb:    "confirm the sign-up of", Done: "confirmed the sign-up of", Button: "Confirm sign-up", ButtonStyle: "primary",
		Detail: "They can sign in with the password they chose.",
		Op:     plain(UserOps.ConfirmSignUp), Applies: confirmApplies,
		Quota: "UserCreation", IAM: withFind("cognito-idp:AdminConfirmSignUp")},
	{Action: Verify, Bulk: true, Scope: ScopeUser, Usage: userArg + " email|phone [--pool NAME] [--reason \"…\"]",
		Args:    []Arg{{Name: "attribute", Choices: []string{"email", "phone"}}},
		Summary: "Mark a user's email or phone verified, so codes and resets reach it",
		Verb:    "mark verified the contact of", Done: "marked verified the contact of", Button: "Verify",
		Detail: "Cognito will send codes (password resets) to it; do this only after checking it is theirs.",
		Op:     verifyOp, Applies: verifyApplies,
		Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminUpdateUserAttributes")},
	{Action: ResetMFA, Bulk: true, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Turn off a user's SMS and authenticator-app MFA, e.g. after a lost phone (asks for confirmation)",
		Verb:    "reset the MFA of", Done: "reset the MFA of", Button: "Reset MFA",
		Detail: "Their SMS and authenticator-app MFA is turned off; where the pool requires MFA they set it up again at the next sign-in.",
		Op:     plain(UserOps.ResetMFA), Applies: resetMFAApplies,
		Quota: "UserResourceUpdate", IAM: withFind("cognito-idp:AdminSetUserMFAPreference")},
	{Action: Suspend, Bulk: true, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Kill switch: disable a user and sign them out everywhere (asks for confirmation)",
		Verb:    "suspend", Done: "suspended", Button: "Suspend", ButtonStyle: "danger",
		Detail: "They can no longer sign in and every refresh token is revoked; access and ID tokens already issued stay valid until they expire.",
		Op:     suspendOp, Quota: "UserUpdate", QuotaCalls: 2,
		IAM: withFind("cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut",
			"cognito-idp:ListUserPoolClients", "cognito-idp:DescribeUserPoolClient")},
	{Action: ForgetDevice, Scope: ScopeUser, Usage: userArg + " <device-key> [--pool NAME] [--reason \"…\"]", Destructive: true,
		Args:    []Arg{{Name: "device"}},
		Summary: "Forget one of a user's remembered devices (asks for confirmation; `devices` shows Forget buttons)",
		Verb:    "forget a device of", Done: "forgot a device of",
		Detail: "Cognito forgets the device; the next sign-in from it asks for MFA again.",
		Op:     forgetOp, Quota: "UserResourceUpdate", IAM: withFind("cognito-idp:AdminForgetDevice")},
	{Action: History, Scope: ScopeUser, Usage: userArg + " [--pool NAME]",
		Summary: "Show a user's last sign-in events (needs the pool's threat protection add-on)",
		Quota:   "UserResourceRead", IAM: withFind("cognito-idp:AdminListUserAuthEvents")},
	{Action: Devices, Scope: ScopeUser, Usage: userArg + " [--pool NAME]",
		Summary: "List a user's remembered devices, with Forget buttons",
		Quota:   "UserResourceRead", IAM: withFind("cognito-idp:AdminListDevices")},
	{Action: Why, Aliases: []string{"diagnose"}, Scope: ScopeUser, Usage: userArg + " [--pool NAME]",
		Summary: "Say why a user can or cannot sign in, and offer the one fix",
		Quota:   "UserRead", IAM: withFind("cognito-idp:DescribeUserPool", "cognito-idp:AdminListUserAuthEvents")},

	{Action: Export, Scope: ScopePool,
		Usage:   "[--status S] [--enabled | --disabled] [--group G] [--prefix ATTR=VALUE] [--created-before AGE] [--attributes all|a,b] [--with-groups] [--pool NAME]",
		Summary: "Send you a CSV of every matching user (personal data: by direct message only)",
		Quota:   "UserList",
		IAM: []string{"cognito-idp:ListUsers", "cognito-idp:ListUsersInGroup", "cognito-idp:ListGroups",
			"cognito-idp:AdminListGroupsForUser", "cognito-idp:DescribeUserPool"}},
	{Action: Import, Scope: ScopePool,
		Usage:   "[--pool NAME] [--reason \"…\"]",
		Summary: "Create users from a CSV (a form): every line checked first, then a dry run, confirm and a job",
		Verb:    "import", Done: "imported",
		Quota: "UserCreation",
		IAM: []string{"cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser", "cognito-idp:AdminAddUserToGroup",
			"cognito-idp:ListUsers", "cognito-idp:ListGroups", "cognito-idp:DescribeUserPool"}},
}

// All returns every action's spec in help order. The slice is a copy.
func All() []Spec { return slices.Clone(table) }

// Names returns every known action in help order, without the wildcard.
func Names() []Action {
	out := make([]Action, len(table))
	for i, s := range table {
		out[i] = s.Action
	}
	return out
}

// Get returns the spec of a, if a is known.
func Get(a Action) (Spec, bool) {
	for _, s := range table {
		if s.Action == a {
			return s, true
		}
	}
	return Spec{}, false
}

// Find returns the action a user typed, by name or alias, ignoring case.
func Find(word string) (Spec, bool) {
	word = strings.ToLower(strings.TrimSpace(word))
	for _, s := range table {
		if string(s.Action) == word || slices.Contains(s.Aliases, word) {
			return s, true
		}
	}
	return Spec{}, false
}

// Known reports whether a is an action of the table (the wildcard is not).
func (a Action) Known() bool {
	_, ok := Get(a)
	return ok
}

// Destructive reports whether a locks a user out or loses data.
func (a Action) Destructive() bool {
	s, _ := Get(a)
	return s.Destructive
}

// QuotaCallsPerRun is QuotaCalls, at least 1.
func (s Spec) QuotaCallsPerRun() int { return max(s.QuotaCalls, 1) }

// Approvable reports whether an approval rule can hold a until someone
// approves: a change to one existing user (it waits as a pending request and
// runs on the user the request named), a bulk job, or an export (it waits
// with its filter and runs for its requester once approved). Creating users,
// and reads shown at once, cannot wait that way.
func (a Action) Approvable() bool {
	s, _ := Get(a)
	return s.Op != nil || a == Bulk || a == Export
}

// BulkActions are the actions a bulk job can run, in help order.
func BulkActions() []Spec {
	var out []Spec
	for _, s := range table {
		if s.RunsInBulk() {
			out = append(out, s)
		}
	}
	return out
}

// RunsInBulk reports whether a bulk job may run s: it is marked Bulk and has
// a single-user operation.
func (s Spec) RunsInBulk() bool { return s.Bulk && s.Op != nil }

// BulkNames lists BulkActions' names as users type them, for help and refusals.
func BulkNames() []string {
	var out []string
	for _, s := range BulkActions() {
		out = append(out, string(s.Action))
	}
	return out
}

// CardActions are the single-user actions offered as lookup-card buttons, in
// display order.
func CardActions() []Spec {
	var out []Spec
	for _, s := range table {
		if s.Button != "" && s.Op != nil {
			out = append(out, s)
		}
	}
	return out
}

// IAMActions is every IAM action the table needs, sorted and unique.
func IAMActions() []string {
	var out []string
	for _, s := range table {
		out = append(out, s.IAM...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
