package quota

// operationCategory is the quota category of every Cognito operation the bot
// calls or may come to call, as AWS's quota page lists them
// (cognito-and-dynamodb.md §5). The guard middleware takes the call's token
// from it; an operation missing here is refused with a message saying so,
// never sent unlimited.
var operationCategory = map[string]category{
	"AdminGetUser": catUserRead, "AdminGetUserAuthFactors": catUserRead,

	"ListUsers": catUserList, "ListUsersInGroup": catUserList,

	"AdminCreateUser": catUserCreation, "AdminConfirmSignUp": catUserCreation, "SignUp": catUserCreation,

	"AdminUpdateUserAttributes": catUserUpdate, "AdminDeleteUserAttributes": catUserUpdate,
	"AdminDisableUser": catUserUpdate, "AdminEnableUser": catUserUpdate, "AdminDeleteUser": catUserUpdate,
	"AdminUserGlobalSignOut": catUserUpdate, "AdminAddUserToGroup": catUserUpdate,
	"AdminRemoveUserFromGroup": catUserUpdate, "AdminLinkProviderForUser": catUserUpdate,
	"AdminDisableProviderForUser": catUserUpdate,

	"AdminResetUserPassword": catUserAccountRecovery, "AdminSetUserPassword": catUserAccountRecovery,

	"AdminListGroupsForUser": catUserResourceRead, "AdminListDevices": catUserResourceRead,
	"AdminListUserAuthEvents": catUserResourceRead, "AdminGetDevice": catUserResourceRead,

	"AdminSetUserMFAPreference": catUserResourceUpdate, "AdminSetUserSettings": catUserResourceUpdate,
	"AdminForgetDevice": catUserResourceUpdate, "AdminUpdateDeviceStatus": catUserResourceUpdate,
	"AdminUpdateAuthEventFeedback": catUserResourceUpdate,

	"DescribeUserPool": catUserPoolRead, "ListUserPools": catUserPoolRead,

	"ListGroups": catUserPoolResourceRead, "GetGroup": catUserPoolResourceRead,
	"ListUserPoolClients": catUserPoolResourceRead, "DescribeUserPoolClient": catUserPoolResourceRead,
	"DescribeUserPoolDomain": catUserPoolResourceRead,
}
