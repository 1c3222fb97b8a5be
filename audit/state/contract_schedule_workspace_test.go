package state

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// A schedule keeps the Grid workspace its requester acted from, as a pending
// action and a job do: the scheduler re-authorizes the requester when it is
// due, and slack.allowed_teams may list the workspace (T…) rather than the
// organisation, so without it every scheduled action and every hard delete
// after an undo window would be refused in such an install.
func TestScheduleKeepsTheRequestersWorkspace(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		store := open(audit.WithClock(clock.Now)).(scheduleAPI)
		ctx := ctxT(t)
		sc := sampleSchedule(clock.Now(), uid("sub"))
		sc.Requester = audit.Actor{UserID: "W0GRIDUSER", TeamID: "E0ORG", Workspace: "T0GRIDWS"}
		created, err := store.CreateSchedule(ctx, sc)
		if err != nil {
			t.Fatalf("CreateSchedule: %v", err)
		}
		got, err := store.GetSchedule(ctx, created.ID)
		if err != nil || got.Requester != sc.Requester {
			t.Fatalf("GetSchedule requester = %+v, %v; want %+v", got.Requester, err, sc.Requester)
		}
		clock.Advance(73 * time.Hour)
		due, err := store.DueSchedules(ctx, clock.Now(), 10)
		if err != nil || len(due) != 1 || due[0].Requester != sc.Requester {
			t.Fatalf("DueSchedules = %+v, %v; want the requester with their workspace", due, err)
		}
	})
}
