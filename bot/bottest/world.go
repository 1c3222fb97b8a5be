package bottest

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

func defaultConfig(pool config.Pool, emu *slackemu.Server, approvals bool) *config.Config {
	cfg := &config.Config{
		Slack: config.Slack{AppToken: emu.AppToken(), BotToken: emu.BotToken(), APIURL: emu.APIURL(), Command: SlashName,
			AllowedTeams: []string{Team}},
		Pools: []config.Pool{pool},
		Audit: config.Audit{Table: testenv.UniqueName("audit"), StateTable: testenv.UniqueName("state")},
		Roles: []config.Role{
			{Name: "admin", Actions: []config.Action{config.AnyAction}, Members: []string{Admin, Admin2}},
			{Name: "support", Members: []string{Support}, Actions: []config.Action{
				actions.Lookup, actions.List, actions.Enable, actions.Disable,
				actions.ResetPassword, actions.Revoke, actions.Audit, actions.Pools, actions.Help,
			}},
			{Name: "approvers", Members: []string{Approver, Approvers}, Actions: []config.Action{actions.Lookup, actions.Help}},
		},
	}
	if approvals {
		cfg.Approvals = []config.ApprovalRule{{
			Action: actions.Delete, Approvers: []string{Approver, Approvers}, Channel: Approvals,
		}}
	}
	cfg.ApplyDefaults()
	return cfg
}

// createPool makes a fresh pool in moto with email as an auto-verified attribute
// and one immutable custom attribute, the shape of a typical production pool.
func createPool(t testing.TB, c *cip.Client) string {
	t.Helper()
	out, err := c.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{
		PoolName:               aws.String(testenv.UniqueName("pool")),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{{
			Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
		}},
	})
	if err != nil {
		t.Fatalf("creating user pool: %v", err)
	}
	for _, g := range testGroups {
		// The pool is new, so a group that exists is this call's own: the SDK
		// retries a request whose answer it lost, and moto, busy, had made
		// the group the first time.
		var exists *types.GroupExistsException
		if _, err := c.CreateGroup(context.Background(), &cip.CreateGroupInput{UserPoolId: out.UserPool.Id, GroupName: aws.String(g.Name),
			Description: aws.String(g.Description), Precedence: aws.Int32(int32(g.Precedence))}); err != nil && !errors.As(err, &exists) {
			t.Fatalf("creating group %s: %v", g.Name, err)
		}
	}
	return aws.ToString(out.UserPool.Id)
}

// testGroups are the groups of every harness's pool.
var testGroups = []memdir.GroupSpec{
	{Name: "admins", Description: "Full access", Precedence: 1},
	{Name: "support", Description: "Help desk", Precedence: 2},
}

func hostOf(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint
	}
	return u.Host
}

// ctx runs fn with the harness's wait limit and fails the test if it errors.
func (h *Harness) ctx(fn func(context.Context) error, what string) {
	h.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := fn(ctx); err != nil {
		h.T.Fatalf("%s: %v", what, err)
	}
}

// Timeout returns a context bounded by the harness's wait limit.
func (h *Harness) Timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), wait)
}
