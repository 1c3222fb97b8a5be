package app

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// TestCognitoQuotasTakeTheSharedDefaults checks that the limiter the bot
// builds claims quotas.share of AWS's default rates, fractions included,
// and an explicit rate as written.
func TestCognitoQuotasTakeTheSharedDefaults(t *testing.T) {
	cfg := &config.Config{Quotas: config.Quotas{Share: 0.5, UserList: 4}}
	cfg.ApplyDefaults()
	aws := quota.DefaultQuotas()
	want := quota.Quotas{
		UserRead: aws.UserRead / 2, UserList: 4, UserCreation: aws.UserCreation / 2,
		UserUpdate: aws.UserUpdate / 2, UserAccountRecovery: aws.UserAccountRecovery / 2,
		UserResourceRead: aws.UserResourceRead / 2, UserPoolRead: aws.UserPoolRead / 2,
		UserPoolResourceRead: aws.UserPoolResourceRead / 2, UserResourceUpdate: aws.UserResourceUpdate / 2,
	}
	if got := cognitoQuotas(cfg.Quotas); got != want {
		t.Errorf("cognitoQuotas = %+v, want %+v", got, want)
	}
}
