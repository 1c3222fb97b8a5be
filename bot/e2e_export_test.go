package bot_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestExportSendsEveryMatchingUserRowByRowInADM(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas})
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	h := bottest.New(t, nil)
	now := time.Now()
	for name, age := range map[string]time.Duration{"old1": 90 * 24 * time.Hour, "old2": 40 * 24 * time.Hour, "new1": time.Hour} {
		seed(t, h, memdir.SeedUser{Username: name, Email: name + "@example.com", EmailVerified: true, Created: now.Add(-age)})
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

// An export is written to a spool file in the temporary directory (TMPDIR;
// an emptyDir in Kubernetes) and uploaded from it; the file is gone once the
// CSV is sent, so exports do not fill the disk either.
func TestExportSpoolsToTheTempDirAndRemovesTheFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas})
	for i := range 70 {
		name := fmt.Sprintf("spl%03d", i)
		h.CreateUser(name, name+"@example.com")
	}
	h.Reply(h.Command(bottest.Admin, "export --attributes email"), 1)
	_, rows := resultsCSV(t, h)
	if len(rows) != 71 {
		t.Fatalf("%d rows; want 70 users", len(rows)-1)
	}
	spooled := func() []string {
		var names []string
		left, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range left {
			if strings.HasPrefix(e.Name(), "cognito-bot-export-") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	h.Eventually("the spool file removed after the upload", func() bool { return len(spooled()) == 0 })
}

// With no writable temporary directory the export is refused with a sentence
// and nothing is sent: the rows go to the spool file, never to memory.
func TestExportWithoutATempDirSaysSo(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	h := bottest.New(t, nil)
	h.CreateUser("spx", "spx@example.com")
	res := h.Reply(h.Command(bottest.Admin, "export"), 1)
	if !bottest.Contains(res, "temporary directory, TMPDIR") || bottest.Contains(res, "Internal error") {
		t.Errorf("the answer should say why the export could not start:\n%s", bottest.Text(res))
	}
	if len(h.Slack.Files()) != 0 {
		t.Error("a file was sent without a spool file")
	}
}

// flakyList drops the answer of the second ListUsers call, as a connection
// cut mid-response does.
type flakyList struct {
	pipeline.Directory
	calls atomic.Int64
}

func (f *flakyList) ListUsers(ctx context.Context, poolID string, filter cognito.ListFilter, limit int, token string) (cognito.Page, error) {
	if f.calls.Add(1) == 2 {
		return cognito.Page{}, errors.New("read tcp: use of closed network connection")
	}
	return f.Directory.ListUsers(ctx, poolID, filter, limit, token)
}

// A page read that fails once (a dropped connection) is read again: a long
// export does not die of it, and no user is missing or twice in the CSV.
func TestExportReadsAFailedPageAgain(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return &flakyList{Directory: d} }})
	for i := range 130 {
		name := fmt.Sprintf("flk%03d", i)
		h.CreateUser(name, name+"@example.com")
	}
	h.Command(bottest.Admin, "export --attributes email")
	_, rows := resultsCSV(t, h)
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		if seen[row[0]] {
			t.Errorf("%s exported twice", row[0])
		}
		seen[row[0]] = true
	}
	if len(seen) != 130 {
		t.Errorf("%d users exported; want all 130", len(seen))
	}
}

// heldList holds every ListUsers call until released, saying on entered
// that one is held.
type heldList struct {
	pipeline.Directory
	release, entered chan struct{}
}

func newHeldList(d pipeline.Directory, release, entered chan struct{}) pipeline.Directory {
	return heldList{d, release, entered}
}

func (h heldList) ListUsers(ctx context.Context, poolID string, filter cognito.ListFilter, limit int, token string) (cognito.Page, error) {
	select {
	case h.entered <- struct{}{}:
	default:
	}
	select {
	case <-h.release:
	case <-ctx.Done():
		return cognito.Page{}, ctx.Err()
	}
	return h.Directory.ListUsers(ctx, poolID, filter, limit, token)
}

// An export runs beside the workers, one per person: a second export of the
// same person is turned away with a sentence while the first runs, and the
// first still delivers its CSV.
func TestExportRunsInTheBackgroundOnePerPerson(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	h.CreateUser("bgx", "bgx@example.com")
	first := h.Command(bottest.Admin, "export --attributes email")
	waitHeld(t, entered)
	second := h.Reply(h.Command(bottest.Admin, "export"), 1)
	if !bottest.Contains(second, "already have an export running") {
		t.Errorf("a second export of the same person should be turned away:\n%s", bottest.Text(second))
	}
	close(release)
	if done := h.Reply(first, 1); !bottest.Contains(done, "Exported 1 users") {
		t.Errorf("the first export's answer:\n%s", bottest.Text(done))
	}
	if _, rows := resultsCSV(t, h); len(rows) != 2 {
		t.Errorf("%d rows; want the one user", len(rows)-1)
	}
}

// A filtered bulk dry run reads the pool page by page, so it runs beside the
// workers as a long check: one per person, a second turned away meanwhile.
func TestFilteredDryRunRunsBesideTheWorkers(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	h.CreateUser("fdr", "fdr@example.com")
	first := h.Command(bottest.Admin, "bulk disable --enabled")
	waitHeld(t, entered)
	second := h.Reply(h.Command(bottest.Admin, "bulk disable --enabled"), 1)
	if !bottest.Contains(second, "already have a long check running") {
		t.Errorf("a second filtered dry run of the same person should be turned away:\n%s", bottest.Text(second))
	}
	close(release)
	if dry := h.Reply(first, 1); !bottest.Contains(dry, "Dry run") {
		t.Errorf("the first dry run:\n%s", bottest.Text(dry))
	}
}

// waitHeld waits (bounded) until the first request is held in ListUsers, so
// the second is sure to come while it runs.
func waitHeld(t *testing.T, entered <-chan struct{}) {
	t.Helper()
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the first request never reached ListUsers")
	}
}
