package awsdir

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"go.uber.org/zap"
)

// CreateUser creates a user in FORCE_CHANGE_PASSWORD and, unless suppressed,
// invites them by email.
//
// Cognito can fail with CodeDeliveryFailureException after creating the user
// (doc pitfall 6). CreateUser then re-reads the user: if it exists, it returns
// that user together with an error matching ErrCodeDelivery, and the fix is to
// correct the contact and call ResendInvitation, never CreateUser again. The
// Result then carries the failed call's request ID.
func (d *Directory) CreateUser(ctx context.Context, poolID string, in cognito.NewUser) (*cognito.User, cognito.Result, error) {
	api, err := d.userAPI(poolID, in.Username)
	if err != nil {
		return nil, cognito.Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
	}
	if in.Invitation == cognito.InviteResend {
		res, err := d.ResendInvitation(ctx, poolID, in.Username)
		if err != nil {
			return nil, cognito.Result{}, err
		}
		u, err := d.adminGetUser(ctx, api, poolID, in.Username)
		if err != nil {
			return nil, res, fmt.Errorf("reading re-invited user %q: %w", in.Username, err)
		}
		return u, res, nil
	}
	input, err := createUserInput(poolID, in)
	if err != nil {
		return nil, cognito.Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminCreateUser(ctx, input, t.option)
	if err != nil {
		err = t.result(err, nil)
		if !errors.Is(err, cognito.ErrCodeDelivery) {
			return nil, cognito.Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
		}
		res := cognito.Result{RequestID: cognito.RequestID(err)}
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

// ResendInvitation re-invites a user who never signed in (FORCE_CHANGE_PASSWORD)
// with a new temporary password and a fresh expiry: AdminCreateUser with
// MessageAction RESEND, by email if the user has one, else by SMS. Other states
// give ErrUnsupportedState (checked first, as moto would re-create the user).
func (d *Directory) ResendInvitation(ctx context.Context, poolID, username string) (cognito.Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("resending invitation to %q: %w", username, err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("resending invitation to %q: %w", username, err)
	}
	if u.Status != string(types.UserStatusTypeForceChangePassword) {
		return cognito.Result{}, fmt.Errorf("resending invitation to %q: %w: status is %s, the user has already set a password",
			username, cognito.ErrUnsupportedState, u.Status)
	}
	medium := types.DeliveryMediumTypeEmail
	switch {
	case u.Email != "":
	case u.Phone != "":
		medium = types.DeliveryMediumTypeSms
	default:
		return cognito.Result{}, fmt.Errorf("resending invitation to %q: %w: the user has neither email nor phone", username, cognito.ErrInvalidParameter)
	}
	t := &outcomeTracker{}
	out, err := api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId:             aws.String(poolID),
		Username:               aws.String(u.Username),
		MessageAction:          types.MessageActionTypeResend,
		DesiredDeliveryMediums: []types.DeliveryMediumType{medium},
	}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("resending invitation to %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("resent invitation", poolID, res)
	return res, nil
}

// userAPI validates a pool ID and a username before any call.
func (d *Directory) userAPI(poolID, username string) (cognitoAPI, error) {
	if username == "" {
		return nil, fmt.Errorf("%w: empty username", cognito.ErrInvalidParameter)
	}
	return d.api(poolID)
}

// createUserInput builds AdminCreateUser's input from the attributes
// cognito.CreateAttributes allows (it refuses contradictions first).
func createUserInput(poolID string, in cognito.NewUser) (*cip.AdminCreateUserInput, error) {
	attrs, err := cognito.CreateAttributes(in)
	if err != nil {
		return nil, err
	}
	input := &cip.AdminCreateUserInput{
		UserPoolId:     aws.String(poolID),
		Username:       aws.String(in.Username),
		UserAttributes: cognito.AttributeList(attrs),
	}
	if in.TemporaryPassword != "" {
		input.TemporaryPassword = aws.String(in.TemporaryPassword)
	}
	if in.Invitation == cognito.InviteSuppress {
		input.MessageAction = types.MessageActionTypeSuppress
	} else {
		input.DesiredDeliveryMediums = []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}
	}
	return input, nil
}
