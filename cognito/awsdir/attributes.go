package awsdir

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// UpdateAttributes sets attributes, sending only those whose value differs from
// the user's current one (an empty value removes the attribute), and returns the
// names actually changed, sorted; nothing changed means no update call and an
// empty Result. Names are checked against the pool's cached schema before any
// call (ErrUnknownAttribute, ErrImmutableAttribute). Note that a new email or
// phone stays pending until verified unless "email_verified"/"phone_number_verified"
// = "true" is sent along.
func (d *Directory) UpdateAttributes(ctx context.Context, poolID, username string, attrs map[string]string) ([]string, cognito.Result, error) {
	fail := func(err error) ([]string, cognito.Result, error) {
		return nil, cognito.Result{}, fmt.Errorf("updating attributes of user %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	if len(attrs) == 0 {
		return fail(fmt.Errorf("%w: no attributes given", cognito.ErrInvalidParameter))
	}
	pool, err := d.describe(ctx, api, poolID)
	if err != nil {
		return fail(err)
	}
	for name := range attrs {
		if _, err := cognito.CheckWritable(pool, name); err != nil {
			return fail(err)
		}
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	changed, names := cognito.ChangedAttributes(u.Attributes, attrs)
	if len(names) == 0 {
		return names, cognito.Result{}, nil
	}
	t := &outcomeTracker{}
	out, err := api.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{
		UserPoolId:     aws.String(poolID),
		Username:       aws.String(username),
		UserAttributes: cognito.AttributeList(changed),
	}, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("updated attributes", poolID, res)
	return names, res, nil
}

// DeleteAttributes removes attributes from a user. Names are checked against the
// pool's cached schema first, like UpdateAttributes; attributes the pool
// requires cannot be removed (ErrInvalidParameter).
func (d *Directory) DeleteAttributes(ctx context.Context, poolID, username string, names []string) (cognito.Result, error) {
	fail := func(err error) (cognito.Result, error) {
		return cognito.Result{}, fmt.Errorf("deleting attributes of user %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	if len(names) == 0 {
		return fail(fmt.Errorf("%w: no attributes given", cognito.ErrInvalidParameter))
	}
	pool, err := d.describe(ctx, api, poolID)
	if err != nil {
		return fail(err)
	}
	for _, name := range names {
		a, err := cognito.CheckWritable(pool, name)
		if err != nil {
			return fail(err)
		}
		if a != nil && aws.ToBool(a.Required) {
			return fail(fmt.Errorf("%w: attribute %q is required by the pool", cognito.ErrInvalidParameter, name))
		}
	}
	t := &outcomeTracker{}
	out, err := api.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{
		UserPoolId:         aws.String(poolID),
		Username:           aws.String(username),
		UserAttributeNames: names,
	}, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("deleted attributes", poolID, res)
	return res, nil
}
