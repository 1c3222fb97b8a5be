package awsdir

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"go.uber.org/zap/zaptest"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// fixture is one uniquely named user pool on moto_server, the raw SDK client
// that set it up (to arrange state and read it back independently), and a
// Directory built with New over the emulator. moto is shared with other
// packages' tests, so nothing here resets it.
type fixture struct {
	t    *testing.T
	ctx  context.Context
	cfg  aws.Config
	raw  *cip.Client
	dir  *Directory
	pool string
}

// testPassword meets the fixture pools' policy: 8+ characters, upper, lower,
// digit, and a symbol (the SDK omits RequireSymbols=false, and moto then
// defaults it to true).
const testPassword = "Passw0rd!OK"

// goodPassword meets Cognito's default policy.
const goodPassword = testPassword

// newFixture creates a pool (customised by opts) in the emulator's default
// Region and deletes it when the test ends.
func newFixture(t *testing.T, opts ...func(*cip.CreateUserPoolInput)) *fixture {
	t.Helper()
	cfg := testenv.AWSConfig(t)
	return newFixtureIn(t, cfg, cfg.Region, opts...)
}

func newFixtureIn(t *testing.T, cfg aws.Config, region string, opts ...func(*cip.CreateUserPoolInput)) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(testIntent(), 30*time.Second)
	t.Cleanup(cancel)
	raw := cip.NewFromConfig(cfg, func(o *cip.Options) { o.Region = region })
	in := &cip.CreateUserPoolInput{
		PoolName: aws.String(testenv.UniqueName("cognito-test")),
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(8), RequireUppercase: true, RequireLowercase: true, RequireNumbers: true,
		}},
	}
	for _, o := range opts {
		o(in)
	}
	out, err := raw.CreateUserPool(ctx, in)
	if err != nil {
		t.Fatalf("creating user pool: %v", err)
	}
	pool := aws.ToString(out.UserPool.Id)
	t.Cleanup(func() {
		_, _ = raw.DeleteUserPool(testIntent(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(pool)})
	})
	return &fixture{t: t, ctx: ctx, cfg: cfg, raw: raw, pool: pool,
		dir: New(cfg, Options{Logger: zaptest.NewLogger(t)})}
}

// oneAttempt turns the SDK's retries off for a step testenv.Arrange retries
// itself, so that step knows when a create is being made again.
func oneAttempt(o *cip.Options) { o.RetryMaxAttempts = 1 }

// invite creates a user the way an admin does, without a message: status
// FORCE_CHANGE_PASSWORD. kv are attribute name/value pairs.
func (f *fixture) invite(username string, kv ...string) {
	f.t.Helper()
	err := testenv.Arrange(func(retried bool) error {
		_, err := f.raw.AdminCreateUser(f.ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(f.pool), Username: aws.String(username),
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrs(kv...),
		}, oneAttempt)
		if retried && testenv.IsAPIError(err, "UsernameExistsException") {
			return nil // the lost attempt made the user
		}
		return err
	})
	if err != nil {
		f.t.Fatalf("creating user %s: %v", username, err)
	}
}

// confirmed creates a user who has set a permanent password: status CONFIRMED.
func (f *fixture) confirmed(username string, kv ...string) {
	f.t.Helper()
	f.invite(username, kv...)
	err := testenv.Arrange(func(bool) error {
		_, err := f.raw.AdminSetUserPassword(f.ctx, &cip.AdminSetUserPasswordInput{
			UserPoolId: aws.String(f.pool), Username: aws.String(username),
			Password: aws.String(testPassword), Permanent: true,
		}, oneAttempt)
		return err
	})
	if err != nil {
		f.t.Fatalf("confirming user %s: %v", username, err)
	}
}

func (f *fixture) group(name string) {
	f.t.Helper()
	err := testenv.Arrange(func(retried bool) error {
		_, err := f.raw.CreateGroup(f.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(f.pool), GroupName: aws.String(name)}, oneAttempt)
		if retried && testenv.IsAPIError(err, "GroupExistsException") {
			return nil // the lost attempt made the group
		}
		return err
	})
	if err != nil {
		f.t.Fatalf("creating group %s: %v", name, err)
	}
}

func (f *fixture) addToGroup(username, group string) {
	f.t.Helper()
	err := testenv.Arrange(func(bool) error {
		_, err := f.raw.AdminAddUserToGroup(f.ctx, &cip.AdminAddUserToGroupInput{
			UserPoolId: aws.String(f.pool), Username: aws.String(username), GroupName: aws.String(group),
		}, oneAttempt)
		return err
	})
	if err != nil {
		f.t.Fatalf("adding %s to %s: %v", username, group, err)
	}
}

func (f *fixture) disable(username string) {
	f.t.Helper()
	_, err := f.raw.AdminDisableUser(f.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(f.pool), Username: aws.String(username)})
	if err != nil {
		f.t.Fatalf("disabling %s: %v", username, err)
	}
}

// missingPool is a well-formed pool ID that does not exist.
func (f *fixture) missingPool() string {
	region, _ := cognito.PoolRegion(f.pool)
	return region + "_DoesNotExist0"
}

// testIntent is a context under an open audit intent, as the pipeline hands
// its operations: the directories refuse every call without one.
func testIntent() context.Context {
	ctx, _ := cognito.OpenIntent(context.Background(), "test#cognito")
	return ctx
}
