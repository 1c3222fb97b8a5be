package testenv

import (
	"cmp"
	"context"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/logging"
)

// emulatorConfig is what config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))
// gives under scripts/with-emulators.sh, built by hand: the config package
// drags STS, SSO and sign-in clients into every test binary that imports
// testenv, which costs each of them link time for nothing.
//
// Left nil as LoadDefaultConfig leaves them without shared-config overrides,
// so each service client builds its own: HTTPClient (the SDK's buildable
// client) and Retryer (the standard retryer, 3 attempts).
func emulatorConfig() aws.Config {
	return aws.Config{
		Region: "us-east-1",
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			cmp.Or(os.Getenv("AWS_ACCESS_KEY_ID"), "test"),
			cmp.Or(os.Getenv("AWS_SECRET_ACCESS_KEY"), "test"),
			os.Getenv("AWS_SESSION_TOKEN"))),
		// Each service client reads its endpoint from AWS_ENDPOINT_URL_<SERVICE>
		// through the config sources, as with LoadDefaultConfig; a test that
		// reroutes one service clears ConfigSources and sets BaseEndpoint.
		ConfigSources:              []any{endpointVars{}},
		Logger:                     logging.NewStandardLogger(os.Stderr),
		DefaultsMode:               aws.DefaultsModeLegacy,
		AccountIDEndpointMode:      aws.AccountIDEndpointModePreferred,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	}
}

// endpointVars is the one config source the emulators need: the SDK's
// service-specific endpoint variables (AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER), read the way the config
// package's EnvConfig reads them. Service clients look for this method on
// every entry of aws.Config.ConfigSources.
type endpointVars struct{}

// GetServiceBaseEndpoint returns AWS_ENDPOINT_URL_<sdkID in upper case, spaces
// as underscores>, if set.
func (endpointVars) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	v := os.Getenv("AWS_ENDPOINT_URL_" + strings.ReplaceAll(strings.ToUpper(sdkID), " ", "_"))
	return v, v != "", nil
}
