package quota

// Quotas are requests per second per Cognito quota category; zero fields take AWS's
// defaults (DefaultQuotas). Cognito enforces these per AWS account per Region,
// combined across all user pools and shared with the apps' own traffic, so set
// them below the account's real quota if the apps need headroom. Directory keeps
// one limiter per category per Region, shared by every pool of that Region.
type Quotas struct {
	UserRead             float64 // AdminGetUser
	UserList             float64 // ListUsers, ListUsersInGroup (not adjustable at AWS)
	UserCreation         float64 // AdminCreateUser (also RESEND)
	UserUpdate           float64 // attribute, enable/disable, sign-out, delete, group membership (not adjustable)
	UserAccountRecovery  float64 // AdminResetUserPassword, AdminSetUserPassword
	UserResourceRead     float64 // AdminListGroupsForUser
	UserPoolRead         float64 // DescribeUserPool
	UserPoolResourceRead float64 // ListGroups, ListUserPoolClients, DescribeUserPoolClient
	UserResourceUpdate   float64 // AdminSetUserMFAPreference, AdminForgetDevice (not adjustable)
	// Budget, when set, makes these the whole deployment's rates, of which
	// this replica takes Budget.Fraction(); nil: they are this process's own.
	Budget Budget
}

// DefaultQuotas returns AWS's default request rates per category (cognito-and-dynamodb.md §5),
// the values used for any Quotas field left at zero.
func DefaultQuotas() Quotas {
	return Quotas{
		UserRead:             120,
		UserList:             30,
		UserCreation:         50,
		UserUpdate:           25,
		UserAccountRecovery:  30,
		UserResourceRead:     50,
		UserPoolRead:         15,
		UserPoolResourceRead: 20,
		UserResourceUpdate:   25,
	}
}

// category is a Cognito quota category; every SDK call belongs to exactly one.
type category int

const (
	catUserRead category = iota
	catUserList
	catUserCreation
	catUserUpdate
	catUserAccountRecovery
	catUserResourceRead
	catUserPoolRead
	catUserPoolResourceRead
	catUserResourceUpdate
	numCategories
)

func (c category) String() string {
	return [...]string{
		"UserRead", "UserList", "UserCreation", "UserUpdate", "UserAccountRecovery",
		"UserResourceRead", "UserPoolRead", "UserPoolResourceRead", "UserResourceUpdate",
	}[c]
}

// WithDefaults returns q with every non-positive field replaced by AWS's default.
func (q Quotas) WithDefaults() Quotas {
	d := DefaultQuotas()
	fill := func(v *float64, def float64) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&q.UserRead, d.UserRead)
	fill(&q.UserList, d.UserList)
	fill(&q.UserCreation, d.UserCreation)
	fill(&q.UserUpdate, d.UserUpdate)
	fill(&q.UserAccountRecovery, d.UserAccountRecovery)
	fill(&q.UserResourceRead, d.UserResourceRead)
	fill(&q.UserPoolRead, d.UserPoolRead)
	fill(&q.UserPoolResourceRead, d.UserPoolResourceRead)
	fill(&q.UserResourceUpdate, d.UserResourceUpdate)
	return q
}

// rate returns the requests per second allowed for category c.
func (q Quotas) rate(c category) float64 {
	switch c {
	case catUserRead:
		return q.UserRead
	case catUserList:
		return q.UserList
	case catUserCreation:
		return q.UserCreation
	case catUserUpdate:
		return q.UserUpdate
	case catUserAccountRecovery:
		return q.UserAccountRecovery
	case catUserResourceRead:
		return q.UserResourceRead
	case catUserPoolRead:
		return q.UserPoolRead
	case catUserPoolResourceRead:
		return q.UserPoolResourceRead
	case catUserResourceUpdate:
		return q.UserResourceUpdate
	}
	panic("quota: unknown category")
}
