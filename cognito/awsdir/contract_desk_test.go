package awsdir_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

func TestContractPoolSchema(t *testing.T) {
	// Cognito (and moto) refuse required custom attributes, so a standard one is required here.
	spec := contractSpec()
	spec.Attributes = append(spec.Attributes, memdir.AttributeSpec{Name: "name", Required: true})
	spec.PasswordPolicy = cognito.PasswordPolicy{MinimumLength: 20, RequireUppercase: true, RequireNumbers: true}
	contract(t, spec, func(t *testing.T, b *backend) {
		s, err := b.dir.PoolSchema(b.ctx, b.pool)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]cognito.AttributeInfo{
			"custom:team":        {Name: "custom:team", Mutable: true, Custom: true},
			"custom:employee_id": {Name: "custom:employee_id", Custom: true},
			"name":               {Name: "name", Mutable: true, Required: true},
			"email":              {Name: "email", Mutable: true},
			"sub":                {Name: "sub"},
		} {
			if got, ok := s.Attribute(name); !ok || got != want {
				t.Errorf("attribute %s = %+v (present %v), want %+v", name, got, ok, want)
			}
		}
		if _, ok := s.Attribute("custom:nope"); ok {
			t.Error("an attribute the pool lacks is in the schema")
		}
		if s.Password.MinimumLength != 20 || !s.Password.RequireUppercase || s.Password.RequireSymbols {
			t.Errorf("password policy = %+v", s.Password)
		}
		if _, err := b.dir.PoolSchema(b.ctx, b.missingPool); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("missing pool: %v, want ErrPoolNotFound", err)
		}
	})
}

func TestContractDescribeGroups(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		gs, err := b.dir.DescribeGroups(b.ctx, b.pool)
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != 2 || gs[0].Name != "admins" || gs[1].Name != "support" || gs[1].Description != "desk" ||
			gs[0].Precedence == nil || *gs[0].Precedence != 1 || *gs[1].Precedence != 2 {
			t.Fatalf("groups = %+v", gs)
		}
	})
}

// A generated temporary password is accepted by the pool it was generated
// for, on both backends (moto checks the policy too), and no two are alike.
func TestContractGeneratedPasswordCreatesUser(t *testing.T) {
	spec := contractSpec()
	spec.PasswordPolicy = cognito.PasswordPolicy{MinimumLength: 24, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	contract(t, spec, func(t *testing.T, b *backend) {
		s, err := b.dir.PoolSchema(b.ctx, b.pool)
		if err != nil {
			t.Fatal(err)
		}
		pw, err := cognito.GeneratePassword(s.Password)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) < 24 {
			t.Fatalf("password of %d characters for a minimum of 24", len(pw))
		}
		u, _, err := b.dir.CreateUser(b.ctx, b.pool, cognito.NewUser{Username: "gen", Email: "gen@example.com",
			Invitation: cognito.InviteSuppress, TemporaryPassword: pw})
		if err != nil {
			t.Fatalf("creating with a generated password: %v", err)
		}
		if u.Status != "FORCE_CHANGE_PASSWORD" {
			t.Errorf("status %s", u.Status)
		}
	})
}

func TestGeneratePasswordMeetsEveryPolicy(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range []cognito.PasswordPolicy{
		cognito.DefaultPasswordPolicy(), {MinimumLength: 6}, {MinimumLength: 99, RequireSymbols: true},
		{MinimumLength: 8, RequireLowercase: true, RequireNumbers: true},
	} {
		for range 50 {
			pw, err := cognito.GeneratePassword(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := cognito.CheckPassword(cognito.DefaultPasswordPolicy(), pw); err != nil || len(pw) < p.MinimumLength {
				t.Fatalf("%q does not meet %+v: %v", pw, p, err)
			}
			if strings.ContainsAny(pw, "\"'\\ `") {
				t.Fatalf("%q contains a character that breaks copying", pw)
			}
			if seen[pw] {
				t.Fatalf("password %q generated twice", pw)
			}
			seen[pw] = true
		}
	}
}
