package bot_test

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// `scheduled` shows only the pools where the viewer holds it: someone whose
// role covers another pool does not see who is about to be disabled or
// deleted here, nor who asked.
func TestScheduledListsOnlyThePoolsTheViewerCovers(t *testing.T) {
	t.Parallel()
	h, clock := scheduleWorld(t, bottest.Options{SecondPool: true, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "other-desk", Members: []string{"UOTHERDESK"},
			Actions: []config.Action{config.Action("scheduled")}, Pools: []string{bottest.OtherPoolName}})
	}})
	h.CreateUser("mia.private", "mia@example.com")
	at := clock.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	prompt := h.Reply(h.Command(bottest.Admin, `disable mia.private --pool `+bottest.PoolName+` --at "`+at+`"`), 1)
	if done := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1); !bottest.Contains(done, "Scheduled to disable") {
		t.Fatalf("not scheduled:\n%s", bottest.Text(done))
	}
	if mine := h.Reply(h.Command(bottest.Admin, "scheduled"), 1); !bottest.Contains(mine, "mia.private") {
		t.Fatalf("the admin should see the schedule:\n%s", bottest.Text(mine))
	}
	other := h.Reply(h.Command("UOTHERDESK", "scheduled"), 1)
	if bottest.Contains(other, "mia.private") {
		t.Fatalf("someone whose role covers only %q sees a schedule in %q:\n%s", bottest.OtherPoolName, bottest.PoolName, bottest.Text(other))
	}
}
