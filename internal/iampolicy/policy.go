package iampolicy

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Document is an IAM policy document, marshalled as IAM expects it.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a Document. Resource is a string or a list.
type Statement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Action    []string       `json:"Action"`
	Resource  any            `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// PoolGrant is the Cognito actions to allow on some pools.
type PoolGrant struct {
	// PoolARNs are the pools' ARNs.
	PoolARNs []string
	// Actions are IAM actions (cognito-idp:…).
	Actions []string
}

// Tables are the ARNs of the bot's two DynamoDB tables.
type Tables struct {
	Audit, State string
}

// version is IAM's policy language version.
const version = "2012-10-17"

// Bot is the bot's policy: each grant on its pools, read and write on both tables
// and their indexes, and the denies that keep the audit log append-only (no
// deletes, and an update may only touch the updatable attributes).
func Bot(grants []PoolGrant, tables Tables, updatable []string) Document {
	var doc Document
	doc.Version = version
	for i, g := range grants {
		sid := "CognitoUserAdministration"
		if len(grants) > 1 {
			sid += fmt.Sprint(i + 1)
		}
		doc.Statement = append(doc.Statement, Statement{Sid: sid, Effect: "Allow", Action: g.Actions, Resource: resource(g.PoolARNs)})
	}
	doc.Statement = append(doc.Statement,
		Statement{Sid: "AuditLogAndState", Effect: "Allow", Action: BotDynamo,
			Resource: []string{tables.Audit, tables.Audit + "/index/*", tables.State, tables.State + "/index/*"}},
		Statement{Sid: "AuditLogIsAppendOnly", Effect: "Deny", Action: AuditDenied, Resource: tables.Audit},
		Statement{Sid: "AuditEntriesOnlyGainAnOutcome", Effect: "Deny", Action: []string{"dynamodb:UpdateItem"}, Resource: tables.Audit,
			Condition: map[string]any{"ForAnyValue:StringNotEquals": map[string][]string{"dynamodb:Attributes": updatable}}},
	)
	return doc
}

// Migrate is the policy of whoever runs `cognito-bot migrate`: creating both tables once.
func Migrate(tables Tables) Document {
	return Document{Version: version, Statement: []Statement{
		{Sid: "CreateTablesOnce", Effect: "Allow", Action: MigrateDynamo, Resource: []string{tables.Audit, tables.State}},
	}}
}

// Generic is the policy for every action, on placeholder ARNs that
// docs/operations.md says how to fill in: deploy/iam-policy.json.
func Generic(ctx context.Context) (Document, error) {
	updatable, err := AuditUpdatableAttributes(ctx)
	if err != nil {
		return Document{}, err
	}
	grants := []PoolGrant{{PoolARNs: []string{PlaceholderPoolARN}, Actions: AllCognitoActions()}}
	return Bot(grants, PlaceholderTables, updatable), nil
}

// Placeholders of the generic policy.
const (
	PlaceholderPoolARN = "arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID"
)

// PlaceholderTables are the default table names in placeholder ARNs.
var PlaceholderTables = Tables{
	Audit: "arn:aws:dynamodb:REGION:ACCOUNT:table/cognito-bot-audit",
	State: "arn:aws:dynamodb:REGION:ACCOUNT:table/cognito-bot-state",
}

// resource is one ARN as a string (as IAM prints it) or several as a list.
func resource(arns []string) any {
	if len(arns) == 1 {
		return arns[0]
	}
	return slices.Clone(arns)
}

// Partition is the ARN partition of an AWS region.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// PoolARN is the ARN of a user pool.
func PoolARN(region, account, poolID string) string {
	return fmt.Sprintf("arn:%s:cognito-idp:%s:%s:userpool/%s", Partition(region), region, account, poolID)
}

// TableARN is the ARN of a DynamoDB table.
func TableARN(region, account, table string) string {
	return fmt.Sprintf("arn:%s:dynamodb:%s:%s:table/%s", Partition(region), region, account, table)
}
