package actions

import (
	"context"
	"slices"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Profile: creating users, changing their attributes, and their groups.

// The profile actions. Roles list them by these names.
const (
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
)

// ProfileOps are the directory calls of the profile actions (and of verify,
// which sets an attribute). They are declared here, next to the entries whose
// operations call them; UserOps embeds them.
type ProfileOps interface {
	AddToGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error)
	RemoveFromGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error)
	UpdateAttributes(ctx context.Context, poolID, username string, attrs map[string]string) ([]string, cognito.Result, error)
	DeleteAttributes(ctx context.Context, poolID, username string, names []string) (cognito.Result, error)
}

// profileTable is the profile actions' part of the table, in help order.
var profileTable = []Spec{
	{Action: Create, Scope: ScopeUser,
		Usage:   "[<username> --email E [--phone +E164] [--name \"N\"] [--attr NAME=VALUE]… [--group G]… [--suppress-invite] [--verified]] [--pool NAME]",
		Summary: "Create a user and send the invitation (alone: opens a form); --suppress-invite shows you a temporary password instead",
		Quota:   "UserCreation",
		IAM: []string{"cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser", "cognito-idp:AdminAddUserToGroup",
			"cognito-idp:AdminListGroupsForUser", "cognito-idp:DescribeUserPool", "cognito-idp:ListGroups"}},
	{Action: Edit, Scope: ScopeUser, Destructive: true,
		Usage:   UserArg + " [NAME=VALUE …] [--verified] [--pool NAME] [--reason \"…\"]",
		Summary: "Change a user's attributes (alone: opens a form; asks for confirmation; an empty value deletes)",
		Verb:    "change the attributes of", Done: "changed the attributes of",
		Detail: "Only the attributes listed change; an emptied value is deleted.",
		Op:     EditAttributes, Quota: "UserUpdate",
		IAM: withFind("cognito-idp:AdminUpdateUserAttributes", "cognito-idp:AdminDeleteUserAttributes", "cognito-idp:DescribeUserPool")},
	{Action: Groups, Scope: ScopeUser,
		Usage:   "[" + UserArg + "] [--pool NAME]",
		Summary: "List the pool's groups, or a user's groups with buttons to add and remove",
		Quota:   "UserPoolResourceRead", IAM: withFind("cognito-idp:ListGroups")},
	{Action: AddToGroup, Bulk: true, Scope: ScopeUser, Usage: UserArg + " <group> [--pool NAME] [--reason \"…\"]",
		Summary: "Add a user to a group", Verb: "add to a group", Done: "added to the group",
		Detail: "The membership shows in tokens issued from now on.",
		Args:   []Arg{{Name: "group"}},
		Op: func(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error) {
			return d.AddToGroup(ctx, poolID, username, args["group"])
		}, Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminAddUserToGroup"),
		Repeatable: true, Reached: inGroup},
	{Action: RemoveFromGroup, Bulk: true, Scope: ScopeUser, Destructive: true,
		Usage:   UserArg + " <group> [--pool NAME] [--reason \"…\"]",
		Summary: "Remove a user from a group (asks for confirmation)", Verb: "remove from a group", Done: "removed from the group",
		Detail: "They lose what the group grants as soon as their current tokens expire.",
		Args:   []Arg{{Name: "group"}},
		Op: func(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error) {
			return d.RemoveFromGroup(ctx, poolID, username, args["group"])
		}, Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminRemoveUserFromGroup"),
		Repeatable: true, Reached: outOfGroup},
}

// inGroup is add-to-group's Reached: the user is in the group now.
func inGroup(u *cognito.User, args map[string]string) bool {
	return u != nil && slices.Contains(u.Groups, args["group"])
}

// outOfGroup is remove-from-group's Reached: the user is no longer in the group.
func outOfGroup(u *cognito.User, args map[string]string) bool {
	return u != nil && !slices.Contains(u.Groups, args["group"])
}
