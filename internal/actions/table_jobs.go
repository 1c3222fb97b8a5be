package actions

// Jobs: the commands about many users at once, or about later — bulk jobs,
// scheduled actions, exports and imports. None of them is a single-user
// operation, so none calls a UserOps method; bulk runs the single-user
// actions marked Bulk.

// The job actions. Roles list them by these names.
const (
	// Bulk applies a single-user action to many users as a job.
	Bulk Action = "bulk"
	// Scheduled lists the actions waiting to run at a later time, with Cancel.
	Scheduled Action = "scheduled"
	// Export sends a CSV of a pool's users to the requester.
	Export Action = "export"
	// Import creates users from a CSV as a bulk job.
	Import Action = "import"
)

// jobTable is the job actions' part of the table, in help order.
var jobTable = []Spec{
	{Action: Bulk, Scope: ScopePool,
		Usage:   "<action> [args] <user> <user> … | <action> [args] --status S | --enabled | --disabled | --group G | --prefix ATTR=VALUE | --created-before 30d [--pool NAME] [--reason \"…\"]",
		Summary: "Run an action on many users as a job: dry run first, then confirm; progress, cancel and a results CSV",
		Quota:   "UserList", IAM: []string{"cognito-idp:ListUsers", "cognito-idp:ListUsersInGroup", "cognito-idp:AdminGetUser"}},
	{Action: Scheduled, Usage: "",
		Summary: "List the actions waiting to run at a later time (disable|suspend|delete <user> --at TIME) with Cancel, and the deletions waiting out their undo window with Undo"},
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
