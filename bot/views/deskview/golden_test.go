package deskview

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// goldenCases are the desk views' representative renderings kept under
// testdata/ (go test ./bot/views/... -run Golden -update rewrites them).
func goldenCases() map[string]any {
	out := deskGoldenCases()
	maps.Copy(out, groupsGoldenCases())
	maps.Copy(out, safetyNetGoldenCases())
	return out
}

// groupsGoldenCases are the groups views and the created-user card.
func groupsGoldenCases() map[string]any {
	return map[string]any{
		"groups": GroupsList(goldenPool, []GroupView{{Name: "admins", Description: "Full access", Precedence: "1"}, {Name: "beta"}}),
		"user_groups": UserGroups(UserGroupsView{Username: "alice", Pool: goldenPool, Groups: []string{"support"},
			RemoveValue: func(i int) string { return fmt.Sprintf("ses_g#%d", i) }, Addable: []string{"admins"},
			AddValue: func(i int) string { return fmt.Sprintf("ses_g#%d", i) }}),
		"created":          CreatedCard(CreatedView{User: goldenUser, Pool: goldenPool, InvitedBy: "email"}),
		"created_password": CreatedCard(CreatedView{User: goldenUser, Pool: goldenPool, Password: "Xy7!abc_def*ghi~"}),
	}
}

// safetyNetGoldenCases render the card's undo window and the Home tab.
func safetyNetGoldenCases() map[string]any {
	approval := views.ApprovalView{ID: "apr_7Q2", Action: "delete", Words: tableWords("delete"), Requester: goldenActor, Target: goldenUser,
		Pool: goldenPool, Reason: "GDPR erasure request, ticket SUP-4411", Created: goldenNow, Expires: goldenNow.Add(24 * time.Hour)}
	deletion := &views.DeletionView{At: goldenNow.Add(72 * time.Hour), RequestedBy: goldenActor, ApprovedBy: views.ActorView{UserID: "U0APPROVER"}, UndoValue: "SCHED123"}
	scheduled := []views.ScheduledView{
		{ID: "SCHED1", Action: "disable", Username: "alice", Pool: "prod", At: goldenNow.Add(48 * time.Hour), By: goldenActor, CanCancel: true},
		{ID: "SCHED2", Action: "delete", HardDelete: true, Username: "bob", Pool: "prod", At: goldenNow.Add(70 * time.Hour), By: goldenActor,
			ApprovedBy: views.ActorView{UserID: "U0APPROVER"}, CanCancel: true},
	}
	return map[string]any{
		"card_pending_deletion": UserCard(goldenUser, goldenPool, false, CardOptions{Deletion: deletion}),
		"home": Home(HomeView{Approvals: []views.ApprovalView{approval},
			Requests:  []HomeRequestView{{Action: "delete", Username: "dave", Pool: "prod", Approval: true, Expires: goldenNow.Add(time.Hour)}},
			Scheduled: scheduled,
			Recent:    []HomeEntryView{{At: goldenNow, Action: "disable", Target: "erin", Result: "Disabled erin"}}}),
		"home_unavailable": Home(HomeView{Unavailable: "The bot's storage (DynamoDB) can't be reached right now."}),
	}
}

func marshalGolden(t *testing.T, v any) []byte {
	t.Helper()
	if m, ok := v.(views.Message); ok {
		return viewstest.MessageJSON(t, m.Text, m.Blocks)
	}
	return viewstest.GoldenJSON(t, v)
}

func TestGoldenViews(t *testing.T) {
	for name, v := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			viewstest.Golden(t, name, marshalGolden(t, v))
		})
	}
}

func TestLimitsGoldenViews(t *testing.T) {
	for name, v := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			switch v := v.(type) {
			case views.Message:
				viewstest.CheckMessage(t, v.Text, v.Blocks)
			case slack.ModalViewRequest:
				viewstest.CheckModal(t, v)
			}
		})
	}
}

// hostileMessages renders every desk view with maximal, hostile input.
func hostileMessages() map[string]views.Message {
	pool := views.PoolView{Name: hostile(300), ID: hostile(300), Region: hostile(300), EstimatedUsers: -1}
	out := deskHostileMessages(hostileUser(0), pool)
	var groups []string
	for i := 0; i < 200; i++ {
		groups = append(groups, fmt.Sprintf("%03d%s", i, hostile(5000)))
	}
	gpool := views.PoolView{Name: hostile(300), ID: hostile(300)}
	val := func(int) string { return hostile(5000) }
	var gv []GroupView
	for _, g := range groups {
		gv = append(gv, GroupView{Name: g, Description: hostile(5000), Precedence: hostile(50)})
	}
	maps.Copy(out, map[string]views.Message{
		"groups":           GroupsList(gpool, gv),
		"groups_empty":     GroupsList(gpool, nil),
		"user_groups":      UserGroups(UserGroupsView{Username: hostile(5000), Pool: gpool, Groups: groups, RemoveValue: val, Addable: groups, AddValue: val}),
		"user_groups_none": UserGroups(UserGroupsView{Username: hostile(5000), Pool: gpool}),
		"created":          CreatedCard(CreatedView{User: hostileUser(1), Pool: gpool, InvitedBy: hostile(300), Password: hostile(5000)}),
	})
	return out
}

func TestLimitsHostileViews(t *testing.T) {
	for name, m := range hostileMessages() {
		t.Run(name, func(t *testing.T) {
			viewstest.CheckMessage(t, m.Text, m.Blocks)
			if raw, _ := json.Marshal(m.Blocks); strings.Contains(string(raw), "<!channel>") {
				t.Error("an unescaped <!channel> reached the blocks")
			}
		})
	}
}

// A generated password with mrkdwn characters stays literal in its code span.
func TestCreatedCardPasswordIsLiteral(t *testing.T) {
	m := CreatedCard(CreatedView{User: goldenUser, Pool: goldenPool, Password: "a*b_c~d`e<f&"})
	raw, _ := json.Marshal(m.Blocks)
	if !strings.Contains(string(raw), "`a*b_c~dˋe\\u0026lt;f\\u0026amp;`") {
		t.Errorf("password not in an escaped code span: %s", raw)
	}
}
