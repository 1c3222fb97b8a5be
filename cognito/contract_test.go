package cognito

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// directoryUnderTest is the method set Directory and Memory share; the
// contract tests run every case against both through it.
type directoryUnderTest interface {
	GetUser(ctx context.Context, poolID, username string) (*User, error)
	FindUsers(ctx context.Context, poolID, query string, max int) ([]User, error)
	ListUsers(ctx context.Context, poolID string, f ListFilter, limit int, pageToken string) (Page, error)
	DisableUser(ctx context.Context, poolID, username string) (Result, error)
	EnableUser(ctx context.Context, poolID, username string) (Result, error)
	CheckResetPassword(ctx context.Context, poolID, username string) error
	ResetPassword(ctx context.Context, poolID, username string) (Result, error)
	SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (Result, error)
	SignOut(ctx context.Context, poolID, username string) (Result, error)
	DeleteUser(ctx context.Context, poolID, username string) (Result, error)
	CreateUser(ctx context.Context, poolID string, in NewUser) (*User, Result, error)
	ResendInvitation(ctx context.Context, poolID, username string) (Result, error)
	UpdateAttributes(ctx context.Context, poolID, username string, attrs map[string]string) ([]string, Result, error)
	DeleteAttributes(ctx context.Context, poolID, username string, names []string) (Result, error)
	ListGroups(ctx context.Context, poolID string) ([]string, error)
	AddToGroup(ctx context.Context, poolID, username, group string) (Result, error)
	RemoveFromGroup(ctx context.Context, poolID, username, group string) (Result, error)
	DescribePool(ctx context.Context, poolID string) (PoolInfo, error)
}

var (
	_ directoryUnderTest = (*Directory)(nil)
	_ directoryUnderTest = (*Memory)(nil)
)

// backend is one implementation under contract, with a fresh pool built from
// the test's PoolSpec and a way to arrange users in it that does not go
// through the directory under test.
type backend struct {
	dir         directoryUnderTest
	ctx         context.Context
	pool        string
	missingPool string
	// moto is true on the emulator: cases where moto is known to differ from
	// Cognito (doc §10) check the documented moto behaviour instead, and say so.
	moto bool
	// seed creates a user in the described state; on moto it skips the test
	// for states moto cannot produce (UNCONFIRMED, EXTERNAL_PROVIDER).
	seed func(t *testing.T, u SeedUser)
}

var contractPools atomic.Int64

// contract runs fn against Memory (always) and against Directory over moto
// (when the emulators are configured; see testenv), each on a fresh pool.
func contract(t *testing.T, spec PoolSpec, fn func(t *testing.T, b *backend)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		s := spec
		s.ID = fmt.Sprintf("us-east-1_Contract%d", contractPools.Add(1))
		m := NewMemory()
		if err := m.AddPool(s); err != nil {
			t.Fatal(err)
		}
		fn(t, &backend{dir: m, ctx: testIntent(), pool: s.ID, missingPool: "us-east-1_DoesNotExist0",
			seed: func(t *testing.T, u SeedUser) {
				t.Helper()
				if err := m.Seed(s.ID, u); err != nil {
					t.Fatalf("seeding %s: %v", u.Username, err)
				}
			}})
	})
	t.Run("moto", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, motoPool(spec))
		for _, g := range spec.Groups {
			_, err := f.raw.CreateGroup(f.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(f.pool), GroupName: aws.String(g.Name),
				Description: aws.String(g.Description), Precedence: aws.Int32(int32(g.Precedence))})
			// The pool is new, so a group that exists is this call's own: the
			// SDK retries a request whose answer it lost, and moto, busy, had
			// made the group the first time.
			var exists *types.GroupExistsException
			if err != nil && !errors.As(err, &exists) {
				t.Fatalf("creating group %s: %v", g.Name, err)
			}
		}
		for _, c := range spec.AppClients {
			f.appClient(t, c)
		}
		fn(t, &backend{dir: f.dir, ctx: f.ctx, pool: f.pool, missingPool: f.missingPool(), moto: true,
			seed: func(t *testing.T, u SeedUser) { t.Helper(); f.seed(t, u) }})
	})
}

// motoPool turns a PoolSpec into CreateUserPool's input.
func motoPool(s PoolSpec) func(*cip.CreateUserPoolInput) {
	return func(in *cip.CreateUserPoolInput) {
		pp := s.PasswordPolicy
		if pp == (PasswordPolicy{}) {
			pp = DefaultPasswordPolicy()
		}
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(int32(pp.MinimumLength)), RequireUppercase: pp.RequireUppercase,
			RequireLowercase: pp.RequireLowercase, RequireNumbers: pp.RequireNumbers, RequireSymbols: pp.RequireSymbols,
			TemporaryPasswordValidityDays: int32(s.TemporaryPasswordValidityDays),
		}}
		for _, a := range s.UsernameAttributes {
			in.UsernameAttributes = append(in.UsernameAttributes, types.UsernameAttributeType(a))
		}
		for _, a := range s.AliasAttributes {
			in.AliasAttributes = append(in.AliasAttributes, types.AliasAttributeType(a))
		}
		if s.MFA != "" {
			in.MfaConfiguration = types.UserPoolMfaType(s.MFA)
		}
		if len(s.AccountRecovery) > 0 {
			in.AccountRecoverySetting = &types.AccountRecoverySettingType{}
			for i, r := range s.AccountRecovery {
				in.AccountRecoverySetting.RecoveryMechanisms = append(in.AccountRecoverySetting.RecoveryMechanisms,
					types.RecoveryOptionType{Name: types.RecoveryOptionNameType(r), Priority: aws.Int32(int32(i + 1))})
			}
		}
		for _, a := range s.Attributes {
			in.Schema = append(in.Schema, types.SchemaAttributeType{
				Name: aws.String(strings.TrimPrefix(a.Name, "custom:")), AttributeDataType: types.AttributeDataTypeString,
				Mutable: aws.Bool(!a.Immutable), Required: aws.Bool(a.Required),
			})
		}
	}
}

// seed arranges a user on moto with admin calls, the nearest moto gets to
// SeedUser. Created dates and MFA settings cannot be chosen there.
func (f *fixture) seed(t *testing.T, u SeedUser) {
	t.Helper()
	kv := []string{}
	for name, v := range u.Attributes {
		kv = append(kv, name, v)
	}
	if u.Email != "" {
		kv = append(kv, "email", u.Email, "email_verified", fmt.Sprint(u.EmailVerified))
	}
	if u.Phone != "" {
		kv = append(kv, "phone_number", u.Phone, "phone_number_verified", fmt.Sprint(u.PhoneVerified))
	}
	status := u.Status
	switch status {
	case "", "CONFIRMED":
		f.confirmed(u.Username, kv...)
	case "FORCE_CHANGE_PASSWORD":
		f.invite(u.Username, kv...)
	case "RESET_REQUIRED":
		f.confirmed(u.Username, kv...)
		if _, err := f.raw.AdminResetUserPassword(f.ctx, &cip.AdminResetUserPasswordInput{
			UserPoolId: aws.String(f.pool), Username: aws.String(u.Username)}); err != nil {
			t.Fatalf("resetting %s: %v", u.Username, err)
		}
	default:
		t.Skipf("moto cannot produce a %s user through the admin API", status)
	}
	for _, g := range u.Groups {
		f.addToGroup(u.Username, g)
	}
	if u.Disabled {
		f.disable(u.Username)
	}
	if slices.Contains(u.MFAMethods, "SMS_MFA") {
		f.smsMFA(t, u.Username)
	}
}

// contractSpec is the pool most contract tests use: a mutable and an
// immutable custom attribute, two groups, Cognito's default password policy.
func contractSpec() PoolSpec {
	return PoolSpec{
		Name: "contract",
		Attributes: []AttributeSpec{
			{Name: "custom:team"},
			{Name: "custom:employee_id", Immutable: true},
		},
		Groups: []GroupSpec{{Name: "support", Description: "desk", Precedence: 2}, {Name: "admins", Precedence: 1}},
	}
}

// goodPassword meets Cognito's default policy.
const goodPassword = testPassword
