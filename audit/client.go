package audit

import (
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// NewClient builds the DynamoDB client the bot should hand to NewLog, NewStore and Migrate.
//
// It is dynamodb.NewFromConfig plus one local-only fix: DynamoDB Local sends a wrong
// X-Amz-Crc32 header on its error responses, which makes the SDK log a harmless
// "response did not match expected checksum" warning on every conditional-check failure
// (cognito-and-dynamodb.md §7). The CRC32 validation is therefore switched off only when
// the resolved endpoint is overridden to something that is not an AWS host (e.g.
// AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000); against real DynamoDB it stays on.
func NewClient(cfg aws.Config) *dynamodb.Client {
	c := dynamodb.NewFromConfig(cfg)
	if !needsChecksumFix(c.Options().BaseEndpoint) {
		return c
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.DisableValidateResponseChecksum = true
	})
}

// needsChecksumFix reports whether endpoint is an override pointing at something other
// than AWS (an emulator), where response CRC32 values cannot be trusted.
func needsChecksumFix(endpoint *string) bool {
	if endpoint == nil || *endpoint == "" {
		return false
	}
	u, err := url.Parse(*endpoint)
	if err != nil || u.Hostname() == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return !strings.HasSuffix(host, ".amazonaws.com") && !strings.HasSuffix(host, ".amazonaws.com.cn")
}
