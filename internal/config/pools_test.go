package config

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func TestValidatePools(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   []string
	}{
		{"role limited to configured pools", func(c *Config) { c.Roles[1].Pools = []string{"staging"} },
			nil},
		{"role names an unknown pool", func(c *Config) { c.Roles[0].Pools = []string{"prod", "qa", "Staging"} },
			[]string{`roles[0].pools[1]: unknown pool "qa" (configured: prod, staging)`,
				`roles[0].pools[2]: unknown pool "Staging" (configured: prod, staging)`}},
		{"role with an empty pool list", func(c *Config) { c.Roles[0].Pools = []string{} },
			[]string{"roles[0].pools: must list at least one pool; leave it out to cover every pool"}},
		{"role lists a pool twice", func(c *Config) { c.Roles[0].Pools = []string{"prod", "prod"} },
			[]string{`roles[0].pools[1]: pool "prod" is listed twice`}},
		{"approval names an unknown pool", func(c *Config) { c.Approvals[0].Pools = []string{"qa"} },
			[]string{`approvals[0].pools[0]: unknown pool "qa" (configured: prod, staging)`}},
		{"approval with an empty pool list", func(c *Config) { c.Approvals[0].Pools = []string{} },
			[]string{"approvals[0].pools: must list at least one pool; leave it out to cover every pool"}},
		{"pool rule beside a rule for every pool", func(c *Config) {
			c.Approvals = append(c.Approvals, ApprovalRule{Action: actions.Delete, Approvers: []string{"U0LEAD"},
				Channel: "C0PROD", Pools: []string{"prod"}, Expiry: DefaultApprovalExpiry})
		}, nil},
		{"two rules for one action in one pool", func(c *Config) {
			c.Approvals[0].Pools = []string{"staging", "prod"}
			c.Approvals = append(c.Approvals, ApprovalRule{Action: actions.Delete, Approvers: []string{"U0LEAD"},
				Channel: "C0PROD", Pools: []string{"prod"}, Expiry: DefaultApprovalExpiry})
		}, []string{`approvals[1].pools[0]: pool "prod" already has an approval rule for delete (approvals[0])`}},
		{"two pools with the same id", func(c *Config) {
			c.Pools = append(c.Pools, Pool{Name: "prod-too", ID: c.Pools[0].ID, Region: c.Pools[0].Region})
		}, []string{`pools[2].id: pool id "` + validConfig().Pools[0].ID + `" is already pools[0] (prod); one pool has one name, or a role limited to one name reaches it through the other`}},
		{"approval in a pool no role covers", func(c *Config) {
			c.Roles[1].Pools = []string{"staging"}
			c.Approvals[0].Pools = []string{"prod"}
		}, []string{"approvals[0].action: no role may run delete in pool prod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.mutate(c)
			assertProblems(t, c.Validate(), tt.want)
		})
	}
}

func TestLoadReportsPoolProblemsWithTheirKeys(t *testing.T) {
	body := minimalFor(`roles:
  - name: staging-admin
    actions: ["*"]
    members: [U012AB3CD]
    pools: [stagin]
  - name: nobody
    actions: [lookup]
    members: [U012AB3CE]
    pools: []
`)
	_, err := Load(writeConfig(t, body), goodEnv())
	assertProblems(t, problemsOf(t, err), []string{
		`roles[0].pools[0]: unknown pool "stagin" (configured: prod)`,
		"roles[1].pools: must list at least one pool",
	})
}
