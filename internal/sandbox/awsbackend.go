package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
)

// seedPassword is the password every confirmed emulator user gets; the
// emulator's users are fictional and the password is never shown or logged.
const seedPassword = "Sandbox-Passw0rd-Not-Secret"

// AWSBackend builds the sandbox on emulated AWS endpoints (the SDK's
// AWS_ENDPOINT_URL_* variables, e.g. moto and DynamoDB Local): it creates a
// fresh user pool, seeds people into it through the Cognito API and migrates
// fresh audit and state tables. It must never be pointed at a real account,
// which is why app only calls it when the endpoint variables are set.
//
// Cognito's API cannot create every state: federated (EXTERNAL_PROVIDER)
// users are skipped, and invitation ages are whatever the emulator stamps.
func AWSBackend(ctx context.Context, awsCfg aws.Config, people []Person, log *zap.Logger) (Backend, error) {
	// Building the sandbox's own fresh pool is no person's request, so there
	// is no audit intent: it is one of the two named exemptions from the
	// intent rule, and only this client and context carry it.
	idp := cip.NewFromConfig(awsCfg, awsdir.WithIntentRule)
	ctx = cognito.ForSandboxSeeding(ctx)
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000)
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:               aws.String("cognito-bot-sandbox-" + suffix),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
			{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
		},
	})
	if err != nil {
		return Backend{}, fmt.Errorf("creating the sandbox user pool: %w", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("sandbox-signup")})
	if err != nil {
		return Backend{}, fmt.Errorf("creating the sandbox app client: %w", err)
	}
	for _, g := range Groups {
		if _, err := idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String(g)}); err != nil && !madeByARetriedCall(err) {
			return Backend{}, fmt.Errorf("creating group %s: %w", g, err)
		}
	}
	var seeded []Person
	for _, p := range people {
		if p.Status == StatusExternal {
			continue
		}
		if err := seedOne(ctx, idp, poolID, aws.ToString(client.UserPoolClient.ClientId), p); err != nil {
			return Backend{}, fmt.Errorf("seeding %s: %w", p.Username, err)
		}
		seeded = append(seeded, p)
	}
	ddb := audit.NewClient(awsCfg)
	tables := audit.Tables{Audit: "cognito-bot-sandbox-audit-" + suffix, State: "cognito-bot-sandbox-state-" + suffix}
	logf := func(format string, args ...any) { log.Debug(fmt.Sprintf(format, args...)) }
	if err := audit.Migrate(ctx, ddb, tables, logf); err != nil {
		return Backend{}, fmt.Errorf("creating the sandbox tables: %w", err)
	}
	return Backend{
		Users:  awsdir.New(awsCfg, awsdir.Options{Logger: log.Named("cognito")}),
		Audit:  audit.NewLog(ddb, tables.Audit, 30*24*time.Hour),
		State:  state.NewStore(ddb, tables.State),
		PoolID: poolID,
		Description: fmt.Sprintf("the emulated AWS endpoints in AWS_ENDPOINT_URL_*: pool %s with %d users, tables %s and %s.",
			poolID, len(seeded), tables.Audit, tables.State),
		People: seeded,
	}, nil
}

// seedOne creates one user in the state p describes, through the Cognito API.
// madeByARetriedCall reports whether a create in the pool seeding has just made
// failed only because it already exists: nothing else writes to that pool, so
// the SDK's retry found the work of an attempt whose answer was lost.
func madeByARetriedCall(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	return api.ErrorCode() == "GroupExistsException" || api.ErrorCode() == "UsernameExistsException"
}

func seedOne(ctx context.Context, idp *cip.Client, poolID, clientID string, p Person) error {
	attrs := []types.AttributeType{{Name: aws.String("email"), Value: aws.String(p.Email)}}
	attr := func(k, v string) {
		attrs = append(attrs, types.AttributeType{Name: aws.String(k), Value: aws.String(v)})
	}
	if p.Phone != "" {
		attr("phone_number", p.Phone)
	}
	for k, v := range p.Attributes {
		attr(k, v)
	}
	user := aws.String(p.Username)
	if p.Status == StatusUnconfirmed {
		_, err := idp.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: user, Password: aws.String(seedPassword), UserAttributes: attrs})
		if err != nil {
			return err
		}
	} else {
		attr("email_verified", fmt.Sprint(p.EmailVerified))
		if p.Phone != "" {
			attr("phone_number_verified", fmt.Sprint(p.PhoneVerified))
		}
		_, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: user, UserAttributes: attrs, MessageAction: types.MessageActionTypeSuppress})
		if err != nil && !madeByARetriedCall(err) {
			return err
		}
	}
	if p.Status == StatusConfirmed || p.Status == StatusResetRequired {
		if _, err := idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: user, Password: aws.String(seedPassword), Permanent: true}); err != nil {
			return err
		}
	}
	if p.Status == StatusResetRequired {
		if _, err := idp.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: user}); err != nil && !strings.Contains(err.Error(), "NotAuthorized") {
			return err
		}
	}
	for _, g := range p.Groups {
		if _, err := idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: user, GroupName: aws.String(g)}); err != nil {
			return err
		}
	}
	if !p.Enabled {
		if _, err := idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: user}); err != nil {
			return err
		}
	}
	return nil
}
