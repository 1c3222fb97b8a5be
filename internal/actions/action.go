package actions

import (
	"context"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Action names one /cognito subcommand. It is the unit that roles grant,
// approval rules guard and audit entries record, so the config file, the policy
// and the bot share one vocabulary.
type Action string

// Any is the wildcard a role lists to be granted every action, including ones
// added in later versions. It is not an action in its own right. The actions
// themselves are declared in the table_<area>.go files, each next to its
// table entry, so that declaring an action is one file.
const Any Action = "*"

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
// Each method is declared in the area file whose actions call it (AccessOps,
// ProfileOps, DeskOps), next to those actions' table entries, so a new
// action and the Cognito call it needs are added in one file. pipeline.Directory,
// bottest.Directory and the contract suites embed this interface, so no other
// interface lists the methods again.
type UserOps interface {
	AccessOps
	ProfileOps
	DeskOps
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
	// Flags are the --words without a value the action takes besides --pool
	// and --reason (delete --now); a given flag reaches Op as args[name]="true".
	Flags []string
	// Schedulable actions take --at TIME: approved (or confirmed) now, run
	// at that time by the scheduler as the requester.
	Schedulable bool
	// Op is the Cognito call of a single-user action; nil for the others.
	Op UserOp
	// Bulk says the action can run as a bulk job: Op needs nothing per user
	// beyond the Args typed once on the command line. Edit (its changes are not
	// Args) and forget-device (a device key belongs to one user) cannot.
	Bulk bool
	// Quota is the Cognito quota category Op spends (quota.Quotas field name).
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
	// Unchanged, when set, says the action would leave the user as they are
	// (disable on a disabled user): "" if it would change something, else the
	// note a bulk job records when it skips them rather than spend a write on
	// nothing (the dry run lists them as skipped). A command on one user still
	// runs it, as it always has: harmless, and audited with its reason. Unlike
	// Applies, which refuses, it only saves the bulk job's writes.
	Unchanged func(u cognito.User, args map[string]string) string
	// Repeatable says running Op again on a user it already ran on does no
	// harm (disable, sign-out, group changes): a bulk target whose runner
	// stopped mid-call may run again when Reached cannot tell what happened.
	// Calls that notify the user again (reset-password, resend-invite) are not.
	// A bulk action sets Repeatable or Reached, or is listed in
	// TestEveryBulkActionSaysHowItRecovers as unknowable after a crash.
	Repeatable bool
	// Reached, when set, tells from the user read back whether Op has taken
	// effect (u is nil when the user no longer exists). A bulk target whose
	// runner stopped mid-call is settled by it: reached means done, not
	// reached means the call never took effect and runs again. Without it, a
	// target that is not Repeatable stays "outcome unknown".
	Reached func(u *cognito.User, args map[string]string) bool
}
