package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestExportSendsEveryMatchingUserRowByRowInADM(t *testing.T) {
	h := bottest.New(t, nil)
	ctx := context.Background()
	const n = 130 // three pages of 60
	for i := range n {
		name := fmt.Sprintf("exp%03d", i)
		display := "User " + name
		if i == 7 {
			display = "=HYPERLINK(\"http://evil\")"
		}
		h.CreateUser(name, name+"@example.com", map[string]string{"name": display})
		if i%10 == 0 {
			if _, err := h.Users.AddToGroup(bottest.Fixture(ctx), h.Pool.ID, name, "support"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := h.Users.DisableUser(bottest.Fixture(ctx), h.Pool.ID, "exp005"); err != nil {
		t.Fatal(err)
	}
	h.Reply(h.Command(bottest.Admin, "export --attributes email,name --with-groups"), 1)
	f, rows := resultsCSV(t, h)
	if f.Channel != h.Slack.DMChannel(bottest.Admin) {
		t.Errorf("the export went to %s; want the requester's DM", f.Channel)
	}
	if got := strings.Join(rows[0], ","); got != "username,sub,status,enabled,created,modified,email,name,groups" {
		t.Fatalf("header %q", got)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows; want %d users", len(rows)-1, n)
	}
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		u, ok := h.User(row[0])
		if !ok || seen[row[0]] {
			t.Fatalf("row %v names no user, or one already exported", row)
		}
		seen[row[0]] = true
		wantName := u.Attributes["name"]
		if strings.HasPrefix(wantName, "=") {
			wantName = "'" + wantName // neutralised, as the bulk CSV does
		}
		groups := strings.Join(u.Groups, ";")
		want := []string{u.Username, u.Sub, u.Status, fmt.Sprint(u.Enabled), u.Created.UTC().Format("2006-01-02T15:04:05Z07:00"),
			u.Modified.UTC().Format("2006-01-02T15:04:05Z07:00"), u.Email, wantName, groups}
		if strings.Join(row, "|") != strings.Join(want, "|") {
			t.Errorf("row %v\nwant %v", row, want)
		}
	}
	h.WaitMessage("export progress updated to finished", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "Export") && bottest.Contains(m, "finished") &&
			bottest.Contains(m, fmt.Sprintf("%d users from 3 pages", n))
	})
	if len(h.Slack.Calls("chat.update")) == 0 {
		t.Error("the progress message was never updated in place")
	}
}

func TestExportFiltersAndAllAttributes(t *testing.T) {
	h := bottest.New(t, nil)
	ctx := context.Background()
	for _, n := range []string{"keep1", "keep2", "gone1"} {
		h.CreateUser(n, n+"@example.com")
	}
	if _, err := h.Users.DisableUser(bottest.Fixture(ctx), h.Pool.ID, "gone1"); err != nil {
		t.Fatal(err)
	}
	answer := h.Reply(h.Command(bottest.Admin, "export --enabled"), 1)
	if !bottest.Contains(answer, "direct messages") || bottest.Contains(answer, "keep1@example.com") {
		t.Errorf("the answer should point to the DM and show no personal data:\n%s", bottest.Text(answer))
	}
	_, rows := resultsCSV(t, h)
	header := strings.Join(rows[0], ",")
	if !strings.Contains(header, ",email,") || !strings.Contains(header, "custom:tenant") || strings.Contains(header, "groups") {
		t.Errorf("all attributes header %q; want the schema's attributes and no groups", header)
	}
	if len(rows) != 3 || rows[1][0] == "gone1" || rows[2][0] == "gone1" {
		t.Errorf("rows %v; want keep1 and keep2 only", rows[1:])
	}
	var entries int
	byAdmin, _, err := h.Audit.ByActor(ctx, bottest.Team, bottest.Admin, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range byAdmin {
		if e.Action == "export" && e.Outcome == "ok" && strings.Contains(e.Message, "exported 2 users") {
			entries++
		}
	}
	if entries != 1 {
		t.Errorf("%d audit entries for the export; want 1", entries)
	}
}

func TestExportNeedsTheExportAction(t *testing.T) {
	h := bottest.New(t, nil)
	h.CreateUser("priv", "priv@example.com")
	h.Reply(h.Command(bottest.Support, "export"), 1)
	if len(h.Slack.Files()) != 0 {
		t.Fatal("support (no export role) received an export")
	}
}

// export takes bulk's filters, --created-before among them: only users
// created before that age are in the file.
func TestExportCreatedBeforeKeepsOnlyOlderUsers(t *testing.T) {
	h := bottest.New(t, nil)
	now := time.Now()
	for name, age := range map[string]time.Duration{"old1": 90 * 24 * time.Hour, "old2": 40 * 24 * time.Hour, "new1": time.Hour} {
		seed(t, h, cognito.SeedUser{Username: name, Email: name + "@example.com", EmailVerified: true, Created: now.Add(-age)})
	}
	h.Reply(h.Command(bottest.Admin, "export --created-before 30d --attributes email"), 1)
	_, rows := resultsCSV(t, h)
	var names []string
	for _, r := range rows[1:] {
		names = append(names, r[0])
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"old1", "old2"}) {
		t.Fatalf("exported %v; want the two users older than 30 days", names)
	}
}
