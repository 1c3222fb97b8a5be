package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
)

// The logs are for operators, not a record of whom the desk looked at: the
// audit log holds that. Whatever the desk does to a user, and however it
// fails, the user's username, email and sub stay out of the log lines.
func TestLogsKeepTheUsersIdentityOut(t *testing.T) {
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
