package testguard

import (
	"slices"
	"sync"
	"testing"
)

// Grants fails a test when a call made under an audit intent is not in the
// IAM policy a role granted only that intent's action would get: the
// per-action IAM lists are thereby checked against what the code really
// calls for each action, not only against their union.
type Grants struct {
	t testing.TB
	// policy returns the IAM actions ("cognito-idp:AdminGetUser") of a role
	// granted only action.
	policy func(action string) []string
	mu     sync.Mutex
	action map[string]string // intent → its action
}

// NewGrants returns a guard failing t, judging calls by policy.
func NewGrants(t testing.TB, policy func(action string) []string) *Grants {
	return &Grants{t: t, policy: policy, action: map[string]string{}}
}

// Intent records that the intent id was written for action.
func (g *Grants) Intent(id, action string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.action[id] = action
}

// Check fails the test when operation (a Cognito API name, AdminGetUser),
// called under intent, is not in the policy of the intent's action. A call
// outside any intent, or under one not recorded, is not judged here: the
// pipeline guard fails the former.
func (g *Grants) Check(intent, operation string) {
	if intent == "" {
		return
	}
	g.mu.Lock()
	action, ok := g.action[intent]
	g.mu.Unlock()
	if !ok {
		return
	}
	if !slices.Contains(g.policy(action), "cognito-idp:"+operation) {
		g.t.Errorf("action %s called cognito-idp:%s (intent %s), which the IAM policy of a role granted %s lacks: add it to the action's IAM list in internal/actions",
			action, operation, intent, action)
	}
}
