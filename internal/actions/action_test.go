package actions

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// TestTableIsConsistent guards the promises other packages rely on: every word a
// user can type names one action, every user operation has the words its prompt and
// result need, and every quota category is one the Cognito layer limits.
func TestTableIsConsistent(t *testing.T) {
	seen := map[string]Action{}
	quotas := reflect.TypeOf(quota.Quotas{})
	for _, s := range All() {
		for _, w := range append([]string{string(s.Action)}, s.Aliases...) {
			if prev, dup := seen[w]; dup {
				t.Errorf("%q names both %s and %s", w, prev, s.Action)
			}
			seen[w] = s.Action
		}
		if s.Summary == "" || (s.Action != Pools && s.Action != Scheduled && s.Usage == "") {
			t.Errorf("%s: help needs a summary and usage", s.Action)
		}
		if s.Op != nil && (s.Verb == "" || s.Done == "" || s.Detail == "" || s.Scope != ScopeUser) {
			t.Errorf("%s: a user operation needs Verb, Done, Detail and ScopeUser", s.Action)
		}
		if s.Bulk && s.Op == nil {
			t.Errorf("%s: marked for bulk without an operation", s.Action)
		}
		if s.Destructive && s.Op == nil {
			t.Errorf("%s: destructive without an operation", s.Action)
		}
		if s.Quota != "" {
			if _, ok := quotas.FieldByName(s.Quota); !ok {
				t.Errorf("%s: quota category %q is not a quota.Quotas field", s.Action, s.Quota)
			}
		}
		for _, iam := range s.IAM {
			if !strings.HasPrefix(iam, "cognito-idp:") {
				t.Errorf("%s: IAM action %q is not a Cognito one", s.Action, iam)
			}
		}
	}
}

func TestFindByNameOrAliasIgnoringCase(t *testing.T) {
	for word, want := range map[string]Action{"Reset": ResetPassword, "LOGOUT": Revoke, " find ": Lookup, "delete": Delete} {
		if s, ok := Find(word); !ok || s.Action != want {
			t.Errorf("Find(%q) = %v, %v; want %s", word, s.Action, ok, want)
		}
	}
	if _, ok := Find("*"); ok {
		t.Error("the wildcard must not be an action")
	}
	if Any.Known() {
		t.Error("Any.Known() = true")
	}
}

func TestCardActionsAreTheUserOperations(t *testing.T) {
	var got []Action
	for _, s := range CardActions() {
		got = append(got, s.Action)
	}
	want := []Action{Disable, Enable, ResetPassword, Revoke, Delete, ResendInvite, ConfirmSignUp, Verify, ResetMFA, Suspend}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("card actions %v, want %v", got, want)
	}
}

// A bulk job hands every user the same Args; edit (its changes are not Args) and
// forget-device (a device key is one user's) would fail on every user.
func TestBulkTakesOnlyActionsWhoseArgsFitEveryUser(t *testing.T) {
	got := BulkNames()
	for _, never := range []Action{Edit, ForgetDevice, Lookup, Create, Import, Bulk} {
		for _, name := range got {
			if name == string(never) {
				t.Errorf("bulk takes %s", never)
			}
		}
	}
	for _, must := range []Action{Disable, Delete, AddToGroup, Suspend} {
		if s, _ := Get(must); !s.RunsInBulk() {
			t.Errorf("bulk refuses %s", must)
		}
	}
}

// Every command about one existing user names it the same way in help, so
// nobody guesses whether an email works for verify when it does for disable.
func TestUserCommandsNameTheUserAlike(t *testing.T) {
	for _, s := range All() {
		if s.Scope != ScopeUser || s.Action == Create || s.Action == Groups {
			continue
		}
		if !strings.HasPrefix(s.Usage, UserArg+" ") {
			t.Errorf("%s usage %q does not start with %q", s.Action, s.Usage, UserArg)
		}
	}
}
