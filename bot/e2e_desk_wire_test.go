package bot_test

import (
	"context"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// TestWireVerifyAndSuspendOnMoto runs verify and suspend against moto and
// DynamoDB Local and reads the users back from moto.
func TestWireVerifyAndSuspendOnMoto(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	ctx := context.Background()
	if _, _, err := h.Users.CreateUser(bottest.Fixture(ctx), h.Pool.ID, cognito.NewUser{Username: "wendy", Email: "wendy@example.com",
		Attributes: map[string]string{"email_verified": "false"}, Invitation: cognito.InviteSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Users.SetPassword(bottest.Fixture(ctx), h.Pool.ID, "wendy", "Correct-Horse-9-Battery", true); err != nil {
		t.Fatal(err)
	}
	h.Reply(h.Command(bottest.Admin, "verify wendy email"), 1)
	if u, _ := h.User("wendy"); !u.EmailVerified {
		t.Fatal("moto does not show the email verified")
	}

	prompt := h.Reply(h.Command(bottest.Admin, "suspend wendy"), 1)
	result := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if !bottest.Contains(result, "Suspended") {
		t.Fatalf("result:\n%s", bottest.Text(result))
	}
	if u, _ := h.User("wendy"); u.Enabled {
		t.Fatal("moto still shows wendy enabled")
	}
	for _, action := range []string{"verify", "suspend"} {
		if e := bottest.Executions(h.AuditFor("wendy", 4), action); len(e) != 1 || e[0].Outcome != audit.OutcomeOK || e[0].CognitoRequestID == "" {
			t.Errorf("%s in DynamoDB Local: %+v", action, e)
		}
	}
}
