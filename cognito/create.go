package cognito

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Invitation says what AdminCreateUser does about the welcome message.
type Invitation int

const (
	// InviteEmail sends the invitation by email (DesiredDeliveryMediums EMAIL;
	// Cognito's own default would be SMS). The user needs an email.
	InviteEmail Invitation = iota
	// InviteSuppress creates the user without sending anything.
	InviteSuppress
	// InviteResend re-sends the invitation of an existing FORCE_CHANGE_PASSWORD
	// user with a new temporary password (MessageAction RESEND). CreateUser with
	// it behaves as ResendInvitation followed by a read of the user; the other
	// NewUser fields are ignored.
	InviteResend
)

// NewUser is what CreateUser needs.
type NewUser struct {
	// Username is required. In a pool whose UsernameAttributes are email or
	// phone_number, pass the email or phone here; Cognito generates the username.
	Username string
	Email    string // sets the email attribute
	Phone    string // sets phone_number (E.164)
	// Attributes are further attributes, custom ones with their "custom:" prefix,
	// e.g. "email_verified": "true" so a password reset can reach the user later.
	Attributes map[string]string
	Invitation Invitation
	// TemporaryPassword must meet the pool's policy; "" lets Cognito generate one.
	// It is never logged.
	TemporaryPassword string
}

// CreateAttributes is the attributes a new user is created with: in's
// Attributes plus its Email and Phone, refusing contradictions (a value given
// twice differently, an email invitation without an email, an unknown
// invitation) before anything is sent. Both directories create users from it.
func CreateAttributes(in NewUser) (map[string]string, error) {
	attrs := map[string]string{}
	for k, v := range in.Attributes {
		attrs[k] = v
	}
	for name, v := range map[string]string{"email": in.Email, "phone_number": in.Phone} {
		if v == "" {
			continue
		}
		if old, ok := attrs[name]; ok && old != v {
			return nil, fmt.Errorf("%w: %s given twice with different values", ErrInvalidParameter, name)
		}
		attrs[name] = v
	}
	switch in.Invitation {
	case InviteEmail:
		if attrs["email"] == "" {
			return nil, fmt.Errorf("%w: an email invitation needs an email", ErrInvalidParameter)
		}
	case InviteSuppress:
	default: // InviteResend is handled by CreateUser itself
		return nil, fmt.Errorf("%w: unknown invitation %d", ErrInvalidParameter, in.Invitation)
	}
	return attrs, nil
}

// AttributeList turns a map into Cognito's attribute list, sorted by name so
// requests are deterministic.
func AttributeList(m map[string]string) []types.AttributeType {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]types.AttributeType, 0, len(names))
	for _, k := range names {
		out = append(out, types.AttributeType{Name: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}
