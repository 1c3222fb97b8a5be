package cognito

import (
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// AttributeInfo is one attribute of a pool's schema, as a form needs it: what
// to ask for when creating a user and what may be edited afterwards.
type AttributeInfo struct {
	Name string
	// Required attributes must be given at creation and cannot be deleted.
	Required bool
	// Mutable attributes may be changed after creation.
	Mutable bool
	// Custom is true for "custom:" attributes.
	Custom bool
}

// PoolSchema is what creating and editing users in a pool must respect.
type PoolSchema struct {
	// Attributes are every standard and custom attribute, sorted by name.
	Attributes []AttributeInfo
	// Password is the pool's password policy, which generated temporary
	// passwords must meet.
	Password PasswordPolicy
	// UsernameAttributes ("email", "phone_number") make users sign in with
	// those instead of a username.
	UsernameAttributes []string
}

// Attribute returns the schema entry of name, if the pool has it.
func (s PoolSchema) Attribute(name string) (AttributeInfo, bool) {
	for _, a := range s.Attributes {
		if a.Name == name {
			return a, true
		}
	}
	return AttributeInfo{}, false
}

// SchemaOf reads a DescribeUserPool answer. Standard attributes the answer
// leaves out (moto drops them when a pool has a custom schema) are added as
// optional and mutable, which is what Cognito reports for them by default.
func SchemaOf(p *types.UserPoolType) PoolSchema {
	byName := map[string]AttributeInfo{}
	for n := range StandardAttributes {
		byName[n] = AttributeInfo{Name: n, Mutable: n != "sub"}
	}
	for _, a := range p.SchemaAttributes {
		name := aws.ToString(a.Name)
		if name == "" {
			continue
		}
		if !StandardAttributes[name] && !strings.HasPrefix(name, "custom:") && !strings.HasPrefix(name, "dev:") {
			name = "custom:" + name
		}
		byName[name] = AttributeInfo{Name: name, Required: aws.ToBool(a.Required),
			Mutable: (a.Mutable == nil || *a.Mutable) && name != "sub", Custom: strings.HasPrefix(name, "custom:")}
	}
	s := PoolSchema{Password: DefaultPasswordPolicy()}
	for _, a := range byName {
		s.Attributes = append(s.Attributes, a)
	}
	sort.Slice(s.Attributes, func(i, j int) bool { return s.Attributes[i].Name < s.Attributes[j].Name })
	if p.Policies != nil && p.Policies.PasswordPolicy != nil {
		pp := p.Policies.PasswordPolicy
		s.Password = PasswordPolicy{MinimumLength: int(aws.ToInt32(pp.MinimumLength)),
			RequireUppercase: pp.RequireUppercase, RequireLowercase: pp.RequireLowercase,
			RequireNumbers: pp.RequireNumbers, RequireSymbols: pp.RequireSymbols}
		if s.Password.MinimumLength == 0 {
			s.Password.MinimumLength = DefaultPasswordPolicy().MinimumLength
		}
	}
	for _, a := range p.UsernameAttributes {
		s.UsernameAttributes = append(s.UsernameAttributes, string(a))
	}
	return s
}
