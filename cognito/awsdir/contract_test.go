package awsdir_test

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

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

// directoryUnderTest is the method set Directory and Memory share; the
// contract tests run every case against both through it. The operations the
// bot calls are pipeline.Directory's (each declared once, in actions.UserOps or
// there), so a new one is under contract, and must exist on both, with no list
// to extend here; the rest are what the tests and the start-up check use.
type directoryUnderTest interface {
	pipeline.Directory
	CheckResetPassword(ctx context.Context, poolID, username string) error
	SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (cognito.Result, error)
	ListGroups(ctx context.Context, poolID string) ([]string, error)
}

var (
	_ directoryUnderTest = (*awsdir.Directory)(nil)
	_ directoryUnderTest = (*memdir.Memory)(nil)
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
	seed func(t *testing.T, u memdir.SeedUser)
}

var contractPools atomic.Int64

// contract runs fn against Memory (always) and against Directory over moto
// (when the emulators are configured; see testenv), each on a fresh pool.
func contract(t *testing.T, spec memdir.PoolSpec, fn func(t *testing.T, b *backend)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		s := spec
		s.ID = fmt.Sprintf("us-east-1_Contract%d", contractPools.Add(1))
		m := memdir.New()
		if err := m.AddPool(s); err != nil {
			t.Fatal(err)
		}
		fn(t, &backend{dir: m, ctx: awsdir.UnderIntent(), pool: s.ID, missingPool: "us-east-1_DoesNotExist0",
			seed: func(t *testing.T, u memdir.SeedUser) {
				t.Helper()
				if err := m.Seed(s.ID, u); err != nil {
					t.Fatalf("seeding %s: %v", u.Username, err)
				}
			}})
	})
	t.Run("moto", func(t *testing.T) {
		t.Parallel()
		f := awsdir.NewFixture(t, motoPool(spec))
		for _, g := range spec.Groups {
			_, err := f.Raw().CreateGroup(f.Ctx(), &cip.CreateGroupInput{UserPoolId: aws.String(f.Pool()), GroupName: aws.String(g.Name),
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
			appClient(t, f, c)
		}
		fn(t, &backend{dir: singleAttemptsRideOutCutConnections{f.Dir()}, ctx: f.Ctx(), pool: f.Pool(), missingPool: f.MissingPool(), moto: true,
			seed: func(t *testing.T, u memdir.SeedUser) { t.Helper(); seedMoto(t, f, u) }})
	})
}

// motoPool turns a PoolSpec into CreateUserPool's input.
func motoPool(s memdir.PoolSpec) func(*cip.CreateUserPoolInput) {
	return func(in *cip.CreateUserPoolInput) {
		pp := s.PasswordPolicy
		if pp == (cognito.PasswordPolicy{}) {
			pp = cognito.DefaultPasswordPolicy()
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

// seedMoto arranges a user on moto with admin calls, the nearest moto gets to
// SeedUser. Created dates and MFA settings cannot be chosen there.
func seedMoto(t *testing.T, f *awsdir.Fixture, u memdir.SeedUser) {
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
		f.Confirmed(u.Username, kv...)
	case "FORCE_CHANGE_PASSWORD":
		f.Invite(u.Username, kv...)
	case "RESET_REQUIRED":
		f.Confirmed(u.Username, kv...)
		if _, err := f.Raw().AdminResetUserPassword(f.Ctx(), &cip.AdminResetUserPasswordInput{
			UserPoolId: aws.String(f.Pool()), Username: aws.String(u.Username)}); err != nil {
			t.Fatalf("resetting %s: %v", u.Username, err)
		}
	default:
		t.Skipf("moto cannot produce a %s user through the admin API", status)
	}
	for _, g := range u.Groups {
		f.AddToGroup(u.Username, g)
	}
	if u.Disabled {
		f.Disable(u.Username)
	}
	if slices.Contains(u.MFAMethods, "SMS_MFA") {
		smsMFA(t, f, u.Username)
	}
}

// contractSpec is the pool most contract tests use: a mutable and an
// immutable custom attribute, two groups, Cognito's default password policy.
func contractSpec() memdir.PoolSpec {
	return memdir.PoolSpec{
		Name: "contract",
		Attributes: []memdir.AttributeSpec{
			{Name: "custom:team"},
			{Name: "custom:employee_id", Immutable: true},
		},
		Groups: []memdir.GroupSpec{{Name: "support", Description: "desk", Precedence: 2}, {Name: "admins", Precedence: 1}},
	}
}

// second keeps only the error of a two-result call, for tables of errors.
func second[T any](_ T, err error) error { return err }

// sortedCopy returns s sorted, leaving s alone.
func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
