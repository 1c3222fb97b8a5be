package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// row is what the policy must answer for one action, written out by hand:
// a role that grants it asks about one user in a pool with no rule, not in
// a protected group.
type row struct {
	// single is the verdict of asking for it on one user.
	single policy.Verdict
	// changes: it changes an existing user, so protected groups guard it.
	changes bool
	// approvable: an approval rule may guard it (config validation agrees).
	approvable bool
	// job: it can be asked as a bulk job (bulk <action>, or import).
	job bool
}

const (
	allow   = policy.Allow
	confirm = policy.Confirm
)

// rows has every action of the table. TestEveryActionHasPolicyCases fails
// when an action is added to internal/actions without a row here.
var rows = map[actions.Action]row{
	actions.Help:            {single: allow},
	actions.Lookup:          {single: allow},
	actions.List:            {single: allow},
	actions.Disable:         {single: confirm, changes: true, approvable: true, job: true},
	actions.Enable:          {single: allow, changes: true, approvable: true, job: true},
	actions.ResetPassword:   {single: confirm, changes: true, approvable: true, job: true},
	actions.Revoke:          {single: confirm, changes: true, approvable: true, job: true},
	actions.Delete:          {single: confirm, changes: true, approvable: true, job: true},
	actions.Undo:            {single: allow, changes: true, approvable: true},
	actions.Scheduled:       {single: allow},
	actions.Audit:           {single: allow},
	actions.Pools:           {single: allow},
	actions.Bulk:            {single: allow, approvable: true},
	actions.Create:          {single: allow},
	actions.Edit:            {single: confirm, changes: true, approvable: true},
	actions.Groups:          {single: allow},
	actions.AddToGroup:      {single: allow, changes: true, approvable: true, job: true},
	actions.RemoveFromGroup: {single: confirm, changes: true, approvable: true, job: true},
	actions.ResendInvite:    {single: allow, changes: true, approvable: true, job: true},
	actions.ConfirmSignUp:   {single: allow, changes: true, approvable: true, job: true},
	actions.Verify:          {single: allow, changes: true, approvable: true, job: true},
	actions.ResetMFA:        {single: confirm, changes: true, approvable: true, job: true},
	actions.Suspend:         {single: confirm, changes: true, approvable: true, job: true},
	actions.ForgetDevice:    {single: confirm, changes: true, approvable: true},
	actions.History:         {single: allow},
	actions.Devices:         {single: allow},
	actions.Why:             {single: allow},
	actions.Export:          {single: allow, approvable: true},
	actions.Import:          {single: allow, job: true},
}

func TestEveryActionHasPolicyCases(t *testing.T) {
	for _, a := range actions.Names() {
		r, ok := rows[a]
		if !ok {
			t.Errorf("action %s has no row in the policy matrix: write down what the policy must answer for it", a)
			continue
		}
		if r.approvable != a.Approvable() {
			t.Errorf("%s: the matrix says approvable=%v, the action table %v", a, r.approvable, a.Approvable())
		}
		if spec, _ := actions.Get(a); r.job != (spec.RunsInBulk() || a == actions.Import) {
			t.Errorf("%s: the matrix says job=%v, the action table disagrees", a, r.job)
		}
	}
	if len(rows) != len(actions.Names()) {
		t.Errorf("the matrix has %d rows for %d actions", len(rows), len(actions.Names()))
	}
}

// The actors of the matrix, one per role scope.
const (
	uAll       = "U1ALL"       // role "*"
	uExact     = "U1EXACT"     // a role granting only the action
	uExactBulk = "U1EXACTBULK" // a role granting the action and bulk
	uNone      = "U1NONE"      // a role granting something else
	uStaging   = "U1STAGING"   // role "*" limited to pool staging
	uDesk      = "U1DESK"      // role "*" limited to channel C1DESK
	uApprover  = "U1APPROVER"
)

// matrixConfig is the world for action a: every scope above; a rule for a
// in pool prod only (when rule and a can have one); protected group admins.
func matrixConfig(a actions.Action, rule bool) *config.Config {
	other := actions.Lookup
	if a == other {
		other = actions.List
	}
	c := &config.Config{
		Roles: []config.Role{
			{Name: "all", Actions: []config.Action{actions.Any}, Members: []string{uAll}},
			{Name: "exact", Actions: []config.Action{a}, Members: []string{uExact}},
			{Name: "exact-bulk", Actions: []config.Action{a, actions.Bulk}, Members: []string{uExactBulk}},
			{Name: "none", Actions: []config.Action{other}, Members: []string{uNone}},
			{Name: "staging", Actions: []config.Action{actions.Any}, Members: []string{uStaging}, Pools: []string{"staging"}},
			{Name: "desk", Actions: []config.Action{actions.Any}, Members: []string{uDesk}, Channels: []string{"C1DESK"}},
		},
		ProtectedGroups: []string{"admins"},
	}
	if rule && a.Approvable() {
		c.Approvals = []config.ApprovalRule{{Action: a, Approvers: []string{uApprover}, Channel: "C1APPROVALS", Pools: []string{"prod"}}}
	}
	c.ApplyDefaults()
	return c
}

func actor(user string) policy.Actor {
	return policy.Actor{Identity: policy.Identity{UserID: user, TeamID: "T1"}, In: map[string]bool{}}
}

// scopeDenial is the fragment of the denial a scope gets for action a in
// pool, or "" when the scope lets it through; job adds the bulk grant.
func scopeDenial(user string, a actions.Action, pool string, job bool) string {
	if a == actions.Help {
		return ""
	}
	switch {
	case user == uNone:
		return "your role does not allow " + string(a)
	case user == uExact && job && a != actions.Bulk:
		return "your role does not allow bulk"
	case user == uStaging && pool == "prod":
		return "only covers pools staging"
	case user == uDesk:
		return "can only run commands in <#C1DESK>"
	}
	return ""
}

// TestDecisionMatrix asks every action × role scope × pool × protected
// membership × single or bulk × rule present or absent, and checks each
// answer against the rows written above.
func TestDecisionMatrix(t *testing.T) {
	users := []string{uAll, uExact, uExactBulk, uNone, uStaging, uDesk}
	n := 0
	for _, a := range actions.Names() {
		r := rows[a]
		spec, _ := actions.Get(a)
		pools := []string{"prod", "staging"}
		if spec.Scope == actions.ScopeNone {
			pools = []string{""}
		}
		for _, rule := range []bool{false, true} {
			p := policy.New(matrixConfig(a, rule))
			for _, user := range users {
				for _, pool := range pools {
					ruleHere := rule && r.approvable && pool == "prod"
					for _, protected := range []bool{false, true} {
						var groups []string
						if protected {
							groups = []string{"staff", "admins"}
						}
						name := fmt.Sprintf("%s/%s/%s/rule=%v/protected=%v", a, user, pool, rule, protected)
						// One user.
						want, fragment := r.single, scopeDenial(user, a, pool, false)
						switch {
						case fragment != "":
							want = policy.Deny
						case ruleHere:
							want = policy.Approve
						case protected && r.changes:
							want, fragment = policy.Deny, "protected group"
						}
						d := p.Decide(actor(user), policy.Request{Stage: policy.Ask, Action: a, Channel: "C1", Pool: pool, TargetGroups: groups, HasReason: true})
						check(t, name+"/single", d, want, fragment)
						n++
						if ruleHere && want == policy.Approve && d.Rule.Channel != "C1APPROVALS" {
							t.Errorf("%s: approve under %+v; want the action's rule", name, d.Rule)
						}
						if !r.job {
							continue
						}
						// A bulk job of it, asked before it exists (groups unknown).
						want, fragment = confirm, scopeDenial(user, a, pool, true)
						switch {
						case fragment != "":
							want = policy.Deny
						case ruleHere:
							want = policy.Approve
						}
						d = p.Decide(actor(user), policy.Request{Stage: policy.Ask, Action: a, Channel: "C1", Pool: pool,
							Job: &policy.Job{Targets: 1}, HasReason: true})
						check(t, name+"/bulk", d, want, fragment)
						// One of its targets, as it is now, approved or not.
						for _, approved := range []bool{false, true} {
							want, fragment = allow, scopeDenial(user, a, pool, true)
							switch {
							case fragment != "":
								want = policy.Deny
							case protected && r.changes:
								want, fragment = policy.Deny, "in the protected group admins"
							case ruleHere && !approved:
								want, fragment = policy.Deny, "this job was not approved"
							}
							d = p.Decide(actor(user), policy.Request{Stage: policy.Run, Action: a, Channel: "C1", Pool: pool, TargetGroups: groups,
								Job: &policy.Job{Target: true}, Execute: true, Approved: approved})
							check(t, fmt.Sprintf("%s/bulk-target/approved=%v", name, approved), d, want, fragment)
							n += 2
						}
					}
				}
			}
		}
	}
	t.Logf("%d decisions checked", n)
}

func check(t *testing.T, name string, d policy.Decision, want policy.Verdict, fragment string) {
	t.Helper()
	if d.Verdict != want || (want == policy.Deny && !strings.Contains(d.Reason, fragment)) {
		t.Errorf("%s: %v %q; want %v %q", name, d.Verdict, d.Reason, want, fragment)
	}
	if d.Verdict == policy.Deny && d.Reason == "" {
		t.Errorf("%s: a denial without a sentence", name)
	}
}
