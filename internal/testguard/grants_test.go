package testguard

import (
	"strings"
	"testing"
)

// lookupOnly is a policy under which a role granted lookup may read a user
// and its pool, and nothing else is granted at all.
func lookupOnly(action string) []string {
	if action == "lookup" {
		return []string{"cognito-idp:AdminGetUser", "cognito-idp:DescribeUserPool"}
	}
	return nil
}

func TestGrantsFailsACallTheActionsPolicyLacks(t *testing.T) {
	t.Parallel()
	r := &recorder{TB: t}
	g := NewGrants(r, lookupOnly)
	g.Intent("exec#1", "lookup")
	g.Check("exec#1", "AdminGetUser")
	g.Check("exec#1", "DescribeUserPool")
	if len(r.errors) != 0 {
		t.Fatalf("lookup's own calls were refused: %v", r.errors)
	}
	g.Check("exec#1", "AdminDeleteUser")
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "AdminDeleteUser") || !strings.Contains(r.errors[0], "lookup") {
		t.Fatalf("a delete under a lookup intent was not reported: %v", r.errors)
	}
	g.Check("", "AdminDeleteUser")       // outside any intent: the pipeline guard's job
	g.Check("exec#2", "AdminDeleteUser") // an intent never recorded
	if len(r.errors) != 1 {
		t.Errorf("a call outside a recorded intent was judged here: %v", r.errors)
	}
}
