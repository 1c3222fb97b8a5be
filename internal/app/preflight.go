package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// checkTimeout bounds each online check, so one unreachable endpoint cannot hang
// start-up; all checks run at once.
const checkTimeout = 10 * time.Second

// finding is one failed online check: what was checked and what to do about it.
type finding struct {
	What string
	Fix  string
}

func (f finding) String() string { return f.What + ": " + f.Fix }

// slackAuth is the part of the Slack Web API the online check needs.
type slackAuth interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
}

// onlineCheck verifies, all at once, that Slack accepts the bot token (auth.test),
// that both DynamoDB tables exist and are ACTIVE (DescribeTable), and that every pool
// exists and is readable (DescribeUserPool). It returns every failure, each with what
// to fix, so one run of check-config --online shows the whole picture.
func onlineCheck(ctx context.Context, cfg *config.Config, awsCfg aws.Config, api slackAuth) []finding {
	type check func(context.Context) *finding
	checks := []check{func(ctx context.Context) *finding { return checkSlack(ctx, api) }}
	ddb := dynamodb.NewFromConfig(awsCfg)
	for _, t := range [][2]string{{"audit.table", cfg.Audit.Table}, {"audit.state_table", cfg.Audit.StateTable}} {
		checks = append(checks, func(ctx context.Context) *finding { return checkTable(ctx, ddb, t[0], t[1]) })
	}
	for i, p := range cfg.Pools {
		client := cip.NewFromConfig(awsCfg, func(o *cip.Options) { o.Region = p.Region }, awsdir.WithIntentRule)
		checks = append(checks, func(ctx context.Context) *finding {
			// No person asked for this read, so there is no audit intent: the
			// check is one of the two named exemptions from the intent rule.
			return checkPool(cognito.ForStartupCheck(ctx), client, i, p)
		})
	}
	results := make([]*finding, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, checkTimeout)
			defer cancel()
			results[i] = c(ctx)
		})
	}
	wg.Wait()
	var out []finding
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out
}

func checkSlack(ctx context.Context, api slackAuth) *finding {
	_, err := api.AuthTestContext(ctx)
	if err == nil {
		return nil
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return &finding{"Slack auth.test", fmt.Sprintf("Slack says %q; set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) of the installed app", se.Err)}
	}
	return &finding{"Slack auth.test", fmt.Sprintf("cannot reach Slack (%v); check network egress to Slack, or SLACK_API_URL", err)}
}

func checkTable(ctx context.Context, ddb *dynamodb.Client, key, table string) *finding {
	what := fmt.Sprintf("DynamoDB table %q (%s)", table, key)
	out, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	var notFound *ddbtypes.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		return &finding{what, "does not exist in this account and region; run `cognito-bot migrate` (or apply deploy/terraform), or fix " + key}
	case err != nil:
		return &finding{what, awsFix(err, "dynamodb:DescribeTable")}
	case out.Table.TableStatus != ddbtypes.TableStatusActive:
		return &finding{what, fmt.Sprintf("is %s, not ACTIVE; wait for it or check the table in the console", out.Table.TableStatus)}
	}
	return nil
}

func checkPool(ctx context.Context, client *cip.Client, i int, p config.Pool) *finding {
	what := fmt.Sprintf("Cognito user pool %s (pools[%d].id %s)", p.Name, i, p.ID)
	_, err := client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(p.ID)})
	var notFound *ciptypes.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		return &finding{what, fmt.Sprintf("no such pool in region %s; copy the pool id from the Cognito console", p.Region)}
	case err != nil:
		return &finding{what, awsFix(err, "cognito-idp:DescribeUserPool")}
	}
	return nil
}

// awsFix turns an AWS error into advice: missing permissions name the IAM action to
// grant, anything else names the error code.
func awsFix(err error, action string) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "AccessDeniedException", "AccessDenied", "NotAuthorizedException":
			return fmt.Sprintf("access denied; grant %s to the bot's role (deploy/iam-policy.json)", action)
		case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException":
			return fmt.Sprintf("AWS rejected the credentials (%s); check the role (IRSA annotation) or AWS_PROFILE", apiErr.ErrorCode())
		}
		return fmt.Sprintf("%s: %s", apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	return fmt.Sprintf("cannot reach AWS (%v); check AWS_REGION, credentials and network egress", err)
}
