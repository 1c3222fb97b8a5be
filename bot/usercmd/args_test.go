package usercmd

import (
	"errors"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func TestActionArgsMatchTheTable(t *testing.T) {
	spec := actions.Spec{Action: "verify", Args: []actions.Arg{{Name: "attribute", Choices: []string{"email", "phone"}}}}
	got, err := ActionArgs(spec, []string{"EMAIL"})
	if err != nil || got["attribute"] != "email" {
		t.Fatalf("actionArgs = %v, %v; want attribute=email", got, err)
	}
	for _, words := range [][]string{nil, {"fax"}, {"email", "extra"}} {
		var ue *desk.UsageError
		if _, err := ActionArgs(spec, words); !errors.As(err, &ue) {
			t.Errorf("actionArgs(%q) = %v; want a usage error", words, err)
		}
	}
	if _, err := ActionArgs(actions.Spec{Action: "disable"}, []string{"bob"}); err == nil {
		t.Error("an action without Args accepted a second word")
	}
	params := map[string]string{"pool_name": "p"}
	flows.ArgParams(params, map[string]string{"group": "admins"})
	if back := flows.ArgsOf(params); len(back) != 1 || back["group"] != "admins" {
		t.Errorf("args kept with a pending action came back as %v", back)
	}
}
