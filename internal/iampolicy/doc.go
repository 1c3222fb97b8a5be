// Package iampolicy writes the IAM policies cognito-bot needs, derived from the code
// rather than kept by hand: the Cognito actions come from the action table
// (internal/actions) plus the calls the bot makes outside any action, the DynamoDB
// actions from what the audit package calls, and the attributes an audit update may
// touch from running the audit log's own Finish against a recorder.
//
// For one installation (`cognito-bot iam-policy --config FILE`) the policy grants,
// on each pool, only what the roles that apply there can do: an installation whose
// roles only look users up is not granted AdminDeleteUser. deploy/iam-policy.json is
// the same policy for every action with placeholder ARNs.
package iampolicy
