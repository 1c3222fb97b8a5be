package cognito

import "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

// ResetBlocker explains why AdminResetUserPassword cannot work (doc §2), or nil.
func ResetBlocker(u *User, pool *types.UserPoolType) *ResetBlockedError {
	switch {
	case !u.Enabled:
		return &ResetBlockedError{Reason: "the user is disabled", Hint: "enable the user first"}
	case u.Status == string(types.UserStatusTypeForceChangePassword):
		return &ResetBlockedError{Reason: "the user has never signed in (FORCE_CHANGE_PASSWORD)",
			Hint: "resend the invitation instead"}
	case u.Status == string(types.UserStatusTypeExternalProvider):
		return &ResetBlockedError{Reason: "the user signs in through an external identity provider",
			Hint: "reset the password at that provider"}
	case u.Status == string(types.UserStatusTypeUnconfirmed):
		return &ResetBlockedError{Reason: "the user has not confirmed their sign-up",
			Hint: "have them finish sign-up, or confirm them first"}
	case adminOnlyRecovery(pool):
		return &ResetBlockedError{Reason: "the pool allows account recovery by administrators only",
			Hint: "set a temporary password instead"}
	case !u.EmailVerified && !u.PhoneVerified:
		return &ResetBlockedError{Reason: "the user has no verified email or phone number to receive the code",
			Hint: "verify their email or phone first, or set a temporary password instead"}
	}
	return nil
}

// adminOnlyRecovery reports whether the pool's only recovery mechanism is admin_only.
func adminOnlyRecovery(pool *types.UserPoolType) bool {
	if pool == nil || pool.AccountRecoverySetting == nil {
		return false
	}
	ms := pool.AccountRecoverySetting.RecoveryMechanisms
	return len(ms) == 1 && ms[0].Name == types.RecoveryOptionNameTypeAdminOnly
}
