package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"

	"github.com/cognito-bot/cognito-bot/internal/iampolicy"
)

// accountPattern is an AWS account id.
var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// iamPolicy prints the least-privilege IAM policy of the configuration: on each
// pool only the Cognito actions its roles can need there, the tables by name. With
// --migrate it prints the policy for running migrate instead. Nothing is called:
// no AWS credentials are needed.
func iamPolicy(opts options, getenv func(string) string, stdout, stderr io.Writer) int {
	if opts.account != "" && !accountPattern.MatchString(opts.account) {
		return usageError(stderr, fmt.Sprintf("--account %q is not a 12-digit AWS account id", opts.account))
	}
	cfg, code := loadConfig(opts, withoutSlackTokens(getenv, "iam-policy"), stderr)
	if cfg == nil {
		return code
	}
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	in := iampolicy.Installation{Account: opts.account, TableRegion: region}
	var doc iampolicy.Document
	if opts.migratePolicy {
		doc = iampolicy.MigrateForConfig(cfg, in)
	} else {
		var err error
		if doc, err = iampolicy.ForConfig(context.Background(), cfg, in); err != nil {
			fmt.Fprintf(stderr, "cognito-bot: %v\n", err)
			return exitError
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s\n", b)
	if opts.account == "" {
		fmt.Fprintf(stderr, "cognito-bot: no --account: the ARNs say %s; pass --account or replace it\n", iampolicy.PlaceholderAccount)
	}
	return exitOK
}
