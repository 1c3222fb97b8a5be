package awsdir

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// everyOperation calls every exported method of dir whose first parameter is
// a context with ctx and plausible arguments (pool, the user "bob"), and
// returns each one's error by name. A new operation is covered without a new
// line here.
func everyOperation(dir any, ctx context.Context, pool string) map[string]error {
	ctxType := reflect.TypeFor[context.Context]()
	errs := map[string]error{}
	v := reflect.ValueOf(dir)
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		ft := m.Type // includes the receiver
		if ft.NumIn() < 2 || ft.In(1) != ctxType || ft.NumOut() == 0 || ft.Out(ft.NumOut()-1) != reflect.TypeFor[error]() {
			continue
		}
		args := []reflect.Value{reflect.ValueOf(ctx)}
		strs := 0
		for j := 2; j < ft.NumIn(); j++ {
			switch p := ft.In(j); {
			case p.Kind() == reflect.String:
				args = append(args, reflect.ValueOf([]string{pool, "bob", "email", "x"}[min(strs, 3)]).Convert(p))
				strs++
			case p.Kind() == reflect.Int:
				args = append(args, reflect.ValueOf(5).Convert(p))
			case p == reflect.TypeFor[map[string]string]():
				args = append(args, reflect.ValueOf(map[string]string{"name": "Bob"}))
			case p == reflect.TypeFor[[]string]():
				args = append(args, reflect.ValueOf([]string{"name"}))
			case p == reflect.TypeFor[cognito.NewUser]():
				args = append(args, reflect.ValueOf(cognito.NewUser{Username: "newbie", Email: "newbie@example.com"}))
			default:
				args = append(args, reflect.Zero(p))
			}
		}
		out := v.Method(i).Call(args)
		err, _ := out[len(out)-1].Interface().(error)
		errs[m.Name] = err
	}
	return errs
}

// TestDirectoryRefusesEveryOperationWithoutAnIntent: through the SDK, the
// guard refuses before anything is sent (the endpoint hears nothing).
func TestDirectoryRefusesEveryOperationWithoutAnIntent(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{})
	ops := everyOperation(d, context.Background(), "us-east-1_a")
	if len(ops) < 25 {
		t.Fatalf("only %d operations found", len(ops))
	}
	for op, err := range ops {
		if err != nil && !errors.Is(err, cognito.ErrNoIntent) && !errors.Is(err, cognito.ErrInvalidParameter) && !errors.Is(err, cognito.ErrInvalidPassword) {
			t.Errorf("%s without an intent: got %v, want ErrNoIntent", op, err)
		}
		if err == nil && op != "CheckResetPassword" {
			t.Errorf("%s without an intent succeeded", op)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) != 0 {
		t.Fatalf("calls reached the endpoint without an intent: %v", f.calls)
	}
}

// TestExemptionsAreNamedAndNarrow: a client built WithIntentRule refuses a
// call without an intent; the start-up check's exemption lets it read a pool
// but not change a user; the sandbox seeding's exemption lets it do anything.
func TestExemptionsAreNamedAndNarrow(t *testing.T) {
	_, f := newFakeDirectory(t, map[string]fakeAnswer{
		"DescribeUserPool": {200, `{"UserPool":{"Id":"us-east-1_a"}}`},
		"AdminDisableUser": {200, `{}`},
	})
	client := cip.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(f.url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		})}, WithIntentRule)
	describe := func(ctx context.Context) error {
		_, err := client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_a")})
		return err
	}
	disable := func(ctx context.Context) error {
		_, err := client.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String("us-east-1_a"), Username: aws.String("bob")})
		return err
	}
	bg := context.Background()
	if err := describe(bg); !errors.Is(err, cognito.ErrNoIntent) {
		t.Errorf("DescribeUserPool without intent or exemption: got %v", err)
	}
	if err := describe(cognito.ForStartupCheck(bg)); err != nil {
		t.Errorf("the start-up check could not read the pool: %v", err)
	}
	if err := disable(cognito.ForStartupCheck(bg)); !errors.Is(err, cognito.ErrNoIntent) || !strings.Contains(err.Error(), "may only read") {
		t.Errorf("the start-up check's exemption let AdminDisableUser through: %v", err)
	}
	if f.count("AdminDisableUser") != 0 {
		t.Fatal("a refused disable reached the endpoint")
	}
	// Names that sound like reads but act: one sends a verification code, the
	// other issues tokens. The exemption covers the check's own call only.
	for _, op := range []string{"GetUserAttributeVerificationCode", "GetTokensFromRefreshToken", "AdminGetUser"} {
		if err := cognito.RequireIntent(cognito.ForStartupCheck(bg), op); !errors.Is(err, cognito.ErrNoIntent) {
			t.Errorf("the start-up check's exemption let %s through: %v", op, err)
		}
	}
	if err := disable(cognito.ForSandboxSeeding(bg)); err != nil {
		t.Errorf("the sandbox seeding was refused: %v", err)
	}
	if f.count("DescribeUserPool") != 1 || f.count("AdminDisableUser") != 1 {
		t.Errorf("calls = %v; want one exempt read and one seeding call", f.calls)
	}
}
