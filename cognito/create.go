package cognito

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"go.uber.org/zap"
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

// CreateUser creates a user in FORCE_CHANGE_PASSWORD and, unless suppressed,
// invites them by email.
//
// Cognito can fail with CodeDeliveryFailureException after creating the user
// (doc pitfall 6). CreateUser then re-reads the user: if it exists, it returns
// that user together with an error matching ErrCodeDelivery, and the fix is to
// correct the contact and call ResendInvitation, never CreateUser again. The
// Result then carries the failed call's request ID.
func (d *Directory) CreateUser(ctx context.Context, poolID string, in NewUser) (*User, Result, error) {
	api, err := d.userAPI(poolID, in.Username)
	if err != nil {
		return nil, Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
	}
	if in.Invitation == InviteResend {
		res, err := d.ResendInvitation(ctx, poolID, in.Username)
		if err != nil {
			return nil, Result{}, err
		}
		u, err := d.adminGetUser(ctx, api, poolID, in.Username)
		if err != nil {
			return nil, res, fmt.Errorf("reading re-invited user %q: %w", in.Username, err)
		}
		return u, res, nil
	}
	input, err := CreateUserInput(poolID, in)
	if err != nil {
		return nil, Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminCreateUser(ctx, input, t.option)
	if err != nil {
		err = t.result(err, nil)
		if !errors.Is(err, ErrCodeDelivery) {
			return nil, Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
		}
		res := Result{RequestID: RequestID(err)}
		d.log.Warn("invitation not delivered; checking whether the user was created",
			zap.String("pool_id", poolID), zap.String("request_id", res.RequestID))
		u, getErr := d.adminGetUser(ctx, api, poolID, in.Username)
		if getErr != nil {
			return nil, res, fmt.Errorf("creating user %q: %w", in.Username, errors.Join(err, getErr))
		}
		return u, res, fmt.Errorf("creating user %q: user created but not invited (use ResendInvitation): %w", in.Username, err)
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("created user", poolID, res)
	if out.User == nil { // not expected from Cognito; read the user instead
		u, err := d.adminGetUser(ctx, api, poolID, in.Username)
		if err != nil {
			return nil, res, fmt.Errorf("reading created user %q: %w", in.Username, err)
		}
		return u, res, nil
	}
	u := userFromType(*out.User)
	return &u, res, nil
}

// CreateUserInput builds AdminCreateUser's input, refusing contradictions up front.
func CreateUserInput(poolID string, in NewUser) (*cip.AdminCreateUserInput, error) {
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
	input := &cip.AdminCreateUserInput{
		UserPoolId:     aws.String(poolID),
		Username:       aws.String(in.Username),
		UserAttributes: attributeList(attrs),
	}
	if in.TemporaryPassword != "" {
		input.TemporaryPassword = aws.String(in.TemporaryPassword)
	}
	switch in.Invitation {
	case InviteEmail:
		if attrs["email"] == "" {
			return nil, fmt.Errorf("%w: an email invitation needs an email", ErrInvalidParameter)
		}
		input.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	case InviteSuppress:
		input.MessageAction = types.MessageActionTypeSuppress
	default: // InviteResend is handled by CreateUser itself

		return nil, fmt.Errorf("%w: unknown invitation %d", ErrInvalidParameter, in.Invitation)
	}
	return input, nil
}

// ResendInvitation re-invites a user who never signed in (FORCE_CHANGE_PASSWORD)
// with a new temporary password and a fresh expiry: AdminCreateUser with
// MessageAction RESEND, by email if the user has one, else by SMS. Other states
// give ErrUnsupportedState (checked first, as moto would re-create the user).
func (d *Directory) ResendInvitation(ctx context.Context, poolID, username string) (Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return Result{}, fmt.Errorf("resending invitation to %q: %w", username, err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return Result{}, fmt.Errorf("resending invitation to %q: %w", username, err)
	}
	if u.Status != string(types.UserStatusTypeForceChangePassword) {
		return Result{}, fmt.Errorf("resending invitation to %q: %w: status is %s, the user has already set a password",
			username, ErrUnsupportedState, u.Status)
	}
	medium := types.DeliveryMediumTypeEmail
	switch {
	case u.Email != "":
	case u.Phone != "":
		medium = types.DeliveryMediumTypeSms
	default:
		return Result{}, fmt.Errorf("resending invitation to %q: %w: the user has neither email nor phone", username, ErrInvalidParameter)
	}
	t := &outcomeTracker{}
	out, err := api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId:             aws.String(poolID),
		Username:               aws.String(u.Username),
		MessageAction:          types.MessageActionTypeResend,
		DesiredDeliveryMediums: []types.DeliveryMediumType{medium},
	}, t.option)
	if err != nil {
		return Result{}, fmt.Errorf("resending invitation to %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("resent invitation", poolID, res)
	return res, nil
}

// attributeList turns a map into Cognito's attribute list, sorted by name so
// requests are deterministic.
func attributeList(m map[string]string) []types.AttributeType {
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

// userAPI validates a pool ID and a username before any call.
func (d *Directory) userAPI(poolID, username string) (cognitoAPI, error) {
	if username == "" {
		return nil, fmt.Errorf("%w: empty username", ErrInvalidParameter)
	}
	return d.api(poolID)
}
