// Package policy is cognito-bot's one authorization decision: who may run
// which action where, on which pool, whether it first needs a confirmation or
// a second person's approval, a reason, or extra permissions, and who may
// approve it. Roles, channels, pools, protected groups, approval rules,
// require_reason, bulk thresholds and the extra permissions of --verified and
// --group all live here and nowhere else; the bot only asks and obeys.
//
// It is pure: no Slack or AWS calls and nothing carried in a context. The bot
// gathers the inputs first — the actor's identity and Slack user-group
// memberships (internal/rbac resolves those), the target's groups, a bulk
// job's size and the requester's recent bulk volume — and asks Decide. A
// wrong "yes" here lets someone delete a customer's account, so anything the
// policy cannot establish is denied.
package policy
