package iampolicy

import (
	"slices"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// StartupCognito is what the bot calls on every pool outside any action: the
// start-up check and `check-config --online` (internal/app/preflight.go) describe
// each pool.
var StartupCognito = []string{"cognito-idp:DescribeUserPool"}

// SweeperCognito is what the sweeper calls in Cognito: nothing. It expires
// requests and closes abandoned actions in DynamoDB only; whatever it then tells
// people needs no Cognito call.
var SweeperCognito []string

// BulkRunnerCognito is what the bulk job runner calls for each target beyond the
// target action's own operation: it re-reads the user (exact username, sub
// checked, groups for protected-group rules) just before acting. Every action a
// job can run already needs this to find one user, so it adds nothing to a role
// that may run the job's action; it is listed so the policy says so on its own.
var BulkRunnerCognito = []string{"cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"}

// BotDynamo is what the audit log, the pending-action store and the readiness
// check (DescribeTable) do with both tables. Transactions (an audit entry and its
// chain's head) need no action of their own: IAM checks their puts and updates
// as PutItem and UpdateItem. BatchGetItem and Scan are audit verify's (the chain
// heads, and the entries written before the chain).
var BotDynamo = []string{"dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"}

// MigrateDynamo is what audit.Migrate needs, for whoever runs `cognito-bot migrate`.
var MigrateDynamo = []string{"dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive"}

// AuditDenied keeps the audit log append-only whatever else the role is granted.
var AuditDenied = []string{"dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate"}

// CognitoActions is every Cognito IAM action a role granted these actions needs,
// with what the bot calls outside actions (start-up check, sweeper, bulk runner
// when bulk or import is granted), sorted and unique. Granting actions.Any
// grants every action.
func CognitoActions(granted []actions.Action) []string {
	out := slices.Clone(StartupCognito)
	out = append(out, SweeperCognito...)
	for _, a := range expand(granted) {
		s, ok := actions.Get(a)
		if !ok {
			continue
		}
		out = append(out, s.IAM...)
		if a == actions.Bulk || a == actions.Import {
			out = append(out, BulkRunnerCognito...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AllCognitoActions is CognitoActions of every action: the generic policy.
func AllCognitoActions() []string { return CognitoActions([]actions.Action{actions.Any}) }

// expand replaces the wildcard with every action.
func expand(granted []actions.Action) []actions.Action {
	if slices.Contains(granted, actions.Any) {
		return actions.Names()
	}
	return granted
}
