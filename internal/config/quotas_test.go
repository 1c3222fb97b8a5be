package config

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// TestQuotaShareScalesAWSDefaults checks that an unconfigured bot claims only
// part of each Cognito quota, which the account shares with the production
// apps and every replica, while a rate written in the file is taken as is.
func TestQuotaShareScalesAWSDefaults(t *testing.T) {
	aws := quota.DefaultQuotas()
	tests := []struct {
		name                        string
		quotas                      string
		share, userRead, userList   float64
		userPoolRead, userPoolRdRes float64
	}{
		{"default share is half", "", 0.5, aws.UserRead / 2, aws.UserList / 2, 7.5, aws.UserPoolResourceRead / 2},
		{"explicit share", "quotas:\n  share: 0.2\n", 0.2, aws.UserRead * 0.2, aws.UserList * 0.2, aws.UserPoolRead * 0.2, aws.UserPoolResourceRead * 0.2},
		{"whole quota", "quotas:\n  share: 1\n", 1, aws.UserRead, aws.UserList, aws.UserPoolRead, aws.UserPoolResourceRead},
		{"explicit rate wins over share", "quotas:\n  share: 0.1\n  user_list: 12\n  user_pool_read: 2.5\n",
			0.1, aws.UserRead * 0.1, 12, 2.5, aws.UserPoolResourceRead * 0.1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(writeConfig(t, minimal+tt.quotas), goodEnv())
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			q := cfg.Quotas
			got := []float64{q.Share, q.UserRead, q.UserList, q.UserPoolRead, q.UserPoolResourceRead}
			want := []float64{tt.share, tt.userRead, tt.userList, tt.userPoolRead, tt.userPoolRdRes}
			for i := range got {
				if diff := got[i] - want[i]; diff > 1e-9 || diff < -1e-9 {
					t.Errorf("quotas = %+v, want share %v user_read %v user_list %v user_pool_read %v user_pool_resource_read %v",
						q, tt.share, tt.userRead, tt.userList, tt.userPoolRead, tt.userPoolRdRes)
					break
				}
			}
		})
	}
}

func TestQuotaShareOutOfRange(t *testing.T) {
	for _, share := range []string{"0", "-0.5", "1.5"} {
		_, err := Load(writeConfig(t, minimal+"quotas:\n  share: "+share+"\n"), goodEnv())
		// Only the share is reported: the category rates it would have
		// scaled are not a second, confusing problem.
		assertProblems(t, problemsOf(t, err), []string{"quotas.share: must be more than 0 and at most 1"})
	}
}
