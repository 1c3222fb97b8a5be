package actions

// Reading: the commands that show users, the audit log and the bot itself.
// None of them changes a user, so none calls a UserOps method.

// The reading actions. Roles list them by these names.
const (
	// Help lists the commands the caller may run.
	Help Action = "help"
	// Lookup shows one user's card.
	Lookup Action = "lookup"
	// List pages through a pool's users.
	List Action = "list"
	// Audit reads the bot's own audit log.
	Audit Action = "audit"
	// Pools lists the configured pools.
	Pools Action = "pools"
)

// readTable is the reading actions' part of the table, in help order.
var readTable = []Spec{
	{Action: Help, Usage: "[command]", Summary: "Show the commands you may run here, or one command's usage"},
	{Action: Lookup, Aliases: []string{"find", "user"}, Scope: ScopeUser,
		Usage:   UserArg + " [--pool NAME] [--public]",
		Summary: "Show a user's card (only you see it unless --public, which masks email and phone)",
		Quota:   "UserRead", IAM: withFind("cognito-idp:DescribeUserPool")},
	{Action: List, Scope: ScopePool,
		Usage:   "[--status STATUS] [--enabled | --disabled] [--prefix ATTR=VALUE] [--group NAME] [--limit N] [--pool NAME]",
		Summary: "List users a page at a time (default 20, at most 60 per page)",
		Quota:   "UserList", IAM: []string{"cognito-idp:ListUsers", "cognito-idp:ListUsersInGroup"}},
	{Action: Audit, Scope: ScopeUser,
		Usage:   UserArg + " | --actor @someone | --reason TEXT | --ticket ID | --break-glass [--limit N] [--pool NAME] | verify [--since 24h]",
		Summary: "Show the newest audit entries about a user, by a Slack user, whose reason has a text or ticket id, or the break-glass runs; verify checks the log's hash chain",
		Quota:   "UserList", IAM: withFind()},
	{Action: Pools, Summary: "List the user pools this bot manages (the first is the default)"},
}
