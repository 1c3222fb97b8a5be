package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// The logs are for operators, not a record of whom the desk looked at: the
// audit log holds that. Whatever the desk does to a user, and however it
// fails, the user's username, email and sub stay out of the log lines.
func TestLogsKeepTheUsersIdentityOut(t *testing.T) {
	t.Parallel()
	for name, wire := range map[string]bool{"memory": false, "wire": true} {
		t.Run(name, func(t *testing.T) {
			logs := &lockedBuffer{}
			h := bottest.New(t, &bottest.Options{LogTo: logs, Wire: wire})
			const who = "pat.doe@example.com"
			h.CreateUser(who, who, map[string]string{"email_verified": "false"})
			u, _ := h.User(who)
			for _, cmd := range []string{"lookup " + who, "reset-password " + who, "disable " + who, "resend-invite " + who,
				"confirm-signup " + who, "verify " + who + " phone", "history " + who, "devices " + who, "lookup nobody@example.com"} {
				h.Reply(h.Command(bottest.Admin, cmd), 1)
			}
			prompt := h.Reply(h.Command(bottest.Admin, "delete "+who), 1)
			h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
			h.Reply(h.Command(bottest.Admin, "enable "+who), 1) // the user is gone: a failure
			h.Stop()
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, "pat.doe") || strings.Contains(line, "nobody@") || (u != nil && strings.Contains(line, u.Sub)) {
					t.Errorf("a log line names the user: %s", line)
				}
			}
		})
	}
}

// failingDisable is a directory whose disables fail as an unexpected Cognito
// error does, quoting the user as the real directory's errors do.
type failingDisable struct{ pipeline.Directory }

func (failingDisable) DisableUser(_ context.Context, _, username string) (cognito.Result, error) {
	return cognito.Result{}, fmt.Errorf("disabling user %q: %w", username, errors.New("api error InternalErrorException: boom"))
}

// An unexpected error is logged for operators with its reference, operation
// and cause, but not the user it concerns (the audit entry records who).
func TestInternalErrorsDoNotNameTheUserInTheLogs(t *testing.T) {
	t.Parallel()
	logs := &lockedBuffer{}
	h := bottest.New(t, &bottest.Options{LogTo: logs, WrapUsers: func(d pipeline.Directory) pipeline.Directory { return failingDisable{d} }})
	const who = "pat.doe@example.com"
	h.CreateUser(who, who)
	prompt := h.Reply(h.Command(bottest.Admin, "disable "+who), 1)
	answer := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	h.Stop()
	if !strings.Contains(logs.String(), "InternalErrorException") {
		t.Fatalf("the internal error was not logged:\n%s\n%s", bottest.Text(answer), logs.String())
	}
	if strings.Contains(logs.String(), "pat.doe") {
		t.Errorf("the logs name the user:\n%s", logs.String())
	}
}
