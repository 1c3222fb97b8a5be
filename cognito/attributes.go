package cognito

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// StandardAttributes are the attributes every Cognito pool has. Real Cognito
// lists them in SchemaAttributes; moto drops them from the schema of a pool
// created with a custom Schema, so they are known here regardless.
var StandardAttributes = map[string]bool{
	"address": true, "birthdate": true, "email": true, "email_verified": true, "family_name": true,
	"gender": true, "given_name": true, "locale": true, "middle_name": true, "name": true,
	"nickname": true, "phone_number": true, "phone_number_verified": true, "picture": true,
	"preferred_username": true, "profile": true, "sub": true, "updated_at": true, "website": true,
	"zoneinfo": true,
}

// CheckWritable reports whether attribute name may be written in pool p:
// ErrUnknownAttribute if the schema lacks it, ErrImmutableAttribute for "sub" and
// attributes with Mutable=false. Real Cognito refuses such writes only after the
// call (and moto accepts them), so checking first gives one clear answer.
func CheckWritable(p *types.UserPoolType, name string) (*types.SchemaAttributeType, error) {
	if name == "sub" {
		return nil, fmt.Errorf("%w: %q", ErrImmutableAttribute, name)
	}
	for i, a := range p.SchemaAttributes {
		if aws.ToString(a.Name) != name {
			continue
		}
		if a.Mutable != nil && !*a.Mutable {
			return nil, fmt.Errorf("%w: %q", ErrImmutableAttribute, name)
		}
		return &p.SchemaAttributes[i], nil
	}
	if StandardAttributes[name] {
		return nil, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownAttribute, name)
}

// UpdateAttributes sets attributes, sending only those whose value differs from
// the user's current one (an empty value removes the attribute), and returns the
// names actually changed, sorted; nothing changed means no update call and an
// empty Result. Names are checked against the pool's cached schema before any
// call (ErrUnknownAttribute, ErrImmutableAttribute). Note that a new email or
// phone stays pending until verified unless "email_verified"/"phone_number_verified"
// = "true" is sent along.
func (d *Directory) UpdateAttributes(ctx context.Context, poolID, username string, attrs map[string]string) ([]string, Result, error) {
	fail := func(err error) ([]string, Result, error) {
		return nil, Result{}, fmt.Errorf("updating attributes of user %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	if len(attrs) == 0 {
		return fail(fmt.Errorf("%w: no attributes given", ErrInvalidParameter))
	}
	pool, err := d.describe(ctx, api, poolID)
	if err != nil {
		return fail(err)
	}
	for name := range attrs {
		if _, err := CheckWritable(pool, name); err != nil {
			return fail(err)
		}
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	changed, names := ChangedAttributes(u.Attributes, attrs)
	if len(names) == 0 {
		return names, Result{}, nil
	}
	t := &outcomeTracker{}
	out, err := api.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{
		UserPoolId:     aws.String(poolID),
		Username:       aws.String(username),
		UserAttributes: attributeList(changed),
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
func (d *Directory) DeleteAttributes(ctx context.Context, poolID, username string, names []string) (Result, error) {
	fail := func(err error) (Result, error) {
		return Result{}, fmt.Errorf("deleting attributes of user %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	if len(names) == 0 {
		return fail(fmt.Errorf("%w: no attributes given", ErrInvalidParameter))
	}
	pool, err := d.describe(ctx, api, poolID)
	if err != nil {
		return fail(err)
	}
	for _, name := range names {
		a, err := CheckWritable(pool, name)
		if err != nil {
			return fail(err)
		}
		if a != nil && aws.ToBool(a.Required) {
			return fail(fmt.Errorf("%w: attribute %q is required by the pool", ErrInvalidParameter, name))
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

// ChangedAttributes keeps the requested attributes whose value differs from the
// current one (an empty value for an absent attribute is no change) and returns
// them with their names, sorted.
func ChangedAttributes(current, requested map[string]string) (map[string]string, []string) {
	changed := map[string]string{}
	for name, v := range requested {
		if cur, ok := current[name]; (ok && cur == v) || (!ok && v == "") {
			continue
		}
		changed[name] = v
	}
	// A new email or phone keeps its verification only if the flag travels
	// with it, even when the flag's value is unchanged.
	for contact, flag := range map[string]string{"email": "email_verified", "phone_number": "phone_number_verified"} {
		if v, ok := requested[flag]; ok && changed[contact] != "" {
			changed[flag] = v
		}
	}
	names := make([]string, 0, len(changed))
	for n := range changed {
		names = append(names, n)
	}
	sort.Strings(names)
	return changed, names
}
