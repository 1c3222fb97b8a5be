package iampolicy

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// load validates yaml with the bot's own loader.
func load(t *testing.T, yaml string) *config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bot.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{config.EnvAppToken: "xapp-1-test", config.EnvBotToken: "xoxb-test"}
	cfg, err := config.Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("invalid test configuration: %v", err)
	}
	return cfg
}

const pools = `pools:
  - name: prod
    id: eu-west-1_Prod00001
  - name: staging
    id: eu-central-1_Stag00001
audit:
  table: bot-audit
  state_table: bot-state
`

func cognitoStatements(doc Document) []Statement {
	var out []Statement
	for _, s := range doc.Statement {
		if s.Effect == "Allow" && len(s.Action) > 0 && strings.HasPrefix(s.Action[0], "cognito-idp:") {
			out = append(out, s)
		}
	}
	return out
}

func resources(s Statement) []string {
	switch r := s.Resource.(type) {
	case string:
		return []string{r}
	case []string:
		return r
	}
	return nil
}

// An installation whose roles only look users up is granted reading, never deleting.
func TestAReadOnlyInstallationIsNotGrantedDeletes(t *testing.T) {
	cfg := load(t, pools+`roles:
  - name: desk
    actions: [lookup, list, help]
    members: [U0DESK001]
`)
	doc, err := ForConfig(context.Background(), cfg, Installation{Account: "123456789012"})
	if err != nil {
		t.Fatal(err)
	}
	st := cognitoStatements(doc)
	if len(st) != 1 {
		t.Fatalf("%d Cognito statements, want 1 (both pools need the same): %+v", len(st), st)
	}
	want := CognitoActions([]actions.Action{actions.Lookup, actions.List})
	if !slices.Equal(st[0].Action, want) {
		t.Errorf("granted %v, want %v", st[0].Action, want)
	}
	for _, a := range []string{"cognito-idp:AdminDeleteUser", "cognito-idp:AdminDisableUser", "cognito-idp:AdminCreateUser"} {
		if slices.Contains(st[0].Action, a) {
			t.Errorf("a read-only installation is granted %s", a)
		}
	}
	for _, a := range []string{"cognito-idp:DescribeUserPool", "cognito-idp:ListUsers", "cognito-idp:AdminGetUser"} {
		if !slices.Contains(st[0].Action, a) {
			t.Errorf("lookup needs %s", a)
		}
	}
	wantPools := []string{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Prod00001",
		"arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Stag00001"}
	if got := resources(st[0]); !slices.Equal(got, wantPools) {
		t.Errorf("on %v, want only the configured pools %v", got, wantPools)
	}
	tables := doc.Statement[len(doc.Statement)-3]
	if got := resources(tables); !slices.Equal(got, []string{
		"arn:aws:dynamodb:eu-west-1:123456789012:table/bot-audit", "arn:aws:dynamodb:eu-west-1:123456789012:table/bot-audit/index/*",
		"arn:aws:dynamodb:eu-west-1:123456789012:table/bot-state", "arn:aws:dynamodb:eu-west-1:123456789012:table/bot-state/index/*"}) {
		t.Errorf("tables statement %s on %v; want the configured tables in the default pool's region", tables.Sid, got)
	}
}

// A role limited to one pool grants its actions there only.
func TestPoolRestrictedRolesGrantOnlyOnTheirPools(t *testing.T) {
	cfg := load(t, pools+`roles:
  - name: desk
    actions: [lookup]
    members: [U0DESK001]
  - name: prod-admins
    actions: [delete]
    members: [U0ADMIN01]
    pools: [prod]
`)
	doc, err := ForConfig(context.Background(), cfg, Installation{Account: "123456789012", TableRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	st := cognitoStatements(doc)
	if len(st) != 2 {
		t.Fatalf("%d Cognito statements, want one per distinct grant: %+v", len(st), st)
	}
	for _, s := range st {
		r := resources(s)
		if len(r) != 1 {
			t.Fatalf("statement %s on %v", s.Sid, r)
		}
		deletes := slices.Contains(s.Action, "cognito-idp:AdminDeleteUser")
		if isProd := r[0] == "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Prod00001"; deletes != isProd {
			t.Errorf("%s: AdminDeleteUser granted=%v on %s; want it on prod only", s.Sid, deletes, r[0])
		}
	}
	if r := resources(doc.Statement[len(doc.Statement)-3]); r[0] != "arn:aws:dynamodb:us-east-1:123456789012:table/bot-audit" {
		t.Errorf("tables in %v, want the given region us-east-1", r)
	}
}

func TestTheWildcardGrantsEveryActionAndNoAccountMeansThePlaceholder(t *testing.T) {
	cfg := load(t, pools+`roles:
  - name: admin
    actions: ["*"]
    members: [U0ADMIN01]
`)
	doc, err := ForConfig(context.Background(), cfg, Installation{})
	if err != nil {
		t.Fatal(err)
	}
	st := cognitoStatements(doc)
	if len(st) != 1 || !slices.Equal(st[0].Action, AllCognitoActions()) {
		t.Fatalf("the wildcard grants %+v, want every action's %v", st, AllCognitoActions())
	}
	if r := resources(st[0]); r[0] != "arn:aws:cognito-idp:eu-west-1:"+PlaceholderAccount+":userpool/eu-west-1_Prod00001" {
		t.Errorf("without an account: %v", r)
	}
	b, err := json.Marshal(doc)
	if err != nil || !json.Valid(b) {
		t.Fatalf("not JSON: %v", err)
	}
}

func TestPartitionsFollowTheRegion(t *testing.T) {
	for region, want := range map[string]string{"eu-west-1": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"} {
		if got := PoolARN(region, "1", "p"); got != "arn:"+want+":cognito-idp:"+region+":1:userpool/p" {
			t.Errorf("%s: %s", region, got)
		}
	}
}

// Whatever a role is granted, the bot still describes its pools at start-up;
// the sweeper calls nothing in Cognito.
func TestEveryGrantIncludesWhatTheBotCallsOutsideActions(t *testing.T) {
	for _, a := range actions.Names() {
		got := CognitoActions([]actions.Action{a})
		for _, need := range StartupCognito {
			if !slices.Contains(got, need) {
				t.Errorf("%s: lacks the start-up check's %s", a, need)
			}
		}
	}
	if len(SweeperCognito) != 0 {
		t.Error("the sweeper is documented as calling nothing in Cognito")
	}
	bulk := CognitoActions([]actions.Action{actions.Bulk})
	for _, need := range BulkRunnerCognito {
		if !slices.Contains(bulk, need) {
			t.Errorf("bulk lacks the runner's %s", need)
		}
	}
}
