package cognito

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
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

// VerifiedFlags maps a contact attribute to its verification flag.
var VerifiedFlags = map[string]string{"email": "email_verified", "phone_number": "phone_number_verified"}
