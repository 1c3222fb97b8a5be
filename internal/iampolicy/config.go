package iampolicy

import (
	"context"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// PlaceholderAccount stands for the AWS account id when none is given: replace it
// (Terraform: replace(file(…), "ACCOUNT_ID", data.aws_caller_identity.current.account_id)).
const PlaceholderAccount = "ACCOUNT_ID"

// Installation says where one installation's resources live.
type Installation struct {
	// Account is the AWS account id of the pools and tables; "" means
	// PlaceholderAccount.
	Account string
	// TableRegion is the DynamoDB tables' region; "" means the default pool's
	// (as the bot itself does without AWS_REGION).
	TableRegion string
}

// GrantedIn returns, for each pool of cfg by name, the actions its roles grant
// there: a role without pools applies to every pool.
func GrantedIn(cfg *config.Config) map[string][]actions.Action {
	out := map[string][]actions.Action{}
	for _, p := range cfg.Pools {
		var granted []actions.Action
		for _, r := range cfg.Roles {
			if len(r.Pools) == 0 || slices.Contains(r.Pools, p.Name) {
				granted = append(granted, r.Actions...)
			}
		}
		out[p.Name] = granted
	}
	return out
}

// ForConfig is the least-privilege policy of one installation: on each pool only
// the Cognito actions of what its roles may do there (plus the start-up check's,
// the sweeper's and the bulk runner's), grouping pools that need the same; the
// DynamoDB part on its two tables.
func ForConfig(ctx context.Context, cfg *config.Config, in Installation) (Document, error) {
	updatable, err := AuditUpdatableAttributes(ctx)
	if err != nil {
		return Document{}, err
	}
	account := in.Account
	if account == "" {
		account = PlaceholderAccount
	}
	granted := GrantedIn(cfg)
	var grants []PoolGrant
	byActions := map[string]int{}
	for _, p := range cfg.Pools {
		iam := CognitoActions(granted[p.Name])
		arn := PoolARN(poolRegion(p), account, p.ID)
		k := strings.Join(iam, ",")
		if i, ok := byActions[k]; ok {
			grants[i].PoolARNs = append(grants[i].PoolARNs, arn)
			continue
		}
		byActions[k] = len(grants)
		grants = append(grants, PoolGrant{PoolARNs: []string{arn}, Actions: iam})
	}
	return Bot(grants, tablesOf(cfg, in, account), updatable), nil
}

// MigrateForConfig is the policy for running `cognito-bot migrate` with cfg.
func MigrateForConfig(cfg *config.Config, in Installation) Document {
	account := in.Account
	if account == "" {
		account = PlaceholderAccount
	}
	return Migrate(tablesOf(cfg, in, account))
}

func tablesOf(cfg *config.Config, in Installation, account string) Tables {
	region := in.TableRegion
	if region == "" {
		region = poolRegion(cfg.DefaultPool())
	}
	return Tables{Audit: TableARN(region, account, cfg.Audit.Table), State: TableARN(region, account, cfg.Audit.StateTable)}
}

// poolRegion is the pool's configured region, else its id's prefix.
func poolRegion(p config.Pool) string {
	if p.Region != "" {
		return p.Region
	}
	r, _ := cognito.PoolRegion(p.ID)
	return r
}
