// Package actions is the one table of everything cognito-bot can do. Each action
// is declared once — its name, aliases, usage, help summary, whether it is
// destructive, the words of its confirm prompt and card button, the Cognito call
// it makes, the quota category that call spends and the IAM actions it needs —
// and every other part derives from that entry: the command registry and help,
// lookup-card buttons, confirm prompts, config validation of role and approval
// rules, and the IAM policy check. Declaring an action is one file: its area's
// table_<area>.go holds the Action constant, the UserOps method its operation
// calls and its entry (see table.go for the areas).
package actions
