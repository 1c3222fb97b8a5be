// Package testenv connects tests to the local AWS world that scripts/with-emulators.sh
// (and so `make test`) starts: moto_server for Cognito and DynamoDB Local for DynamoDB.
//
// Under `make test` the emulators are required: a test that cannot find them fails
// rather than skipping, so a broken harness can never pass silently. A plain
// `go test ./...` without the emulators skips the integration tests instead. The
// sandbox's browser tests treat Chromium the same way (Chromium, ChromiumVar).
//
// RaiseParallel, for a package's TestMain, lets more of its waiting tests run
// at once than there are cores.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// RequireVar is set by scripts/with-emulators.sh; when it is "1", missing emulators fail tests.
const RequireVar = "COGNITO_BOT_REQUIRE_EMULATORS"

// Endpoint variables are the AWS SDK's own service-specific endpoint overrides.
const (
	CognitoEndpointVar  = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
	DynamoDBEndpointVar = "AWS_ENDPOINT_URL_DYNAMODB"
)

// AWSConfig returns an SDK config pointed at the emulators through the standard
// environment variables, or skips/fails the test when they are not set.
func AWSConfig(t testing.TB) aws.Config {
	t.Helper()
	var missing []string
	for _, v := range []string{CognitoEndpointVar, DynamoDBEndpointVar} {
		if os.Getenv(v) == "" {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		msg := "emulators not running (" + strings.Join(missing, ", ") + " unset); run `make test`"
		if os.Getenv(RequireVar) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return emulatorConfig()
}

// CognitoEndpoint returns moto_server's base URL (after AWSConfig has checked it is set).
func CognitoEndpoint() string { return os.Getenv(CognitoEndpointVar) }

// DynamoDBEndpoint returns DynamoDB Local's base URL (after AWSConfig has checked it is set).
func DynamoDBEndpoint() string { return os.Getenv(DynamoDBEndpointVar) }

// UniqueName returns prefix plus a random suffix, so tests sharing one emulator never
// see each other's pools or tables.
func UniqueName(prefix string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}
