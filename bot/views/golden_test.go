package views

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

var (
	goldenNow  = time.Date(2026, 11, 14, 22, 13, 0, 0, time.UTC)
	goldenPool = PoolView{Name: "prod", ID: "eu-west-1_AbC123xyZ", Region: "eu-west-1", Default: true, EstimatedUsers: 48213}
	goldenUser = UserView{
		Username: "alice", Sub: "4f1c2a9e-8d3b-4b7a-9e21-0c5d6f7a8b9c",
		Email: "alice@example.com", EmailVerified: true,
		Phone: "+12025550100", PhoneVerified: false,
		Enabled: true, Status: "CONFIRMED",
		Created:    time.Date(2024, 3, 2, 9, 30, 0, 0, time.UTC),
		Modified:   time.Date(2026, 10, 1, 17, 5, 0, 0, time.UTC),
		Groups:     []string{"support", "beta-testers"},
		MFAMethods: []string{"SOFTWARE_TOKEN_MFA", "SMS_MFA"}, PreferredMFA: "SOFTWARE_TOKEN_MFA",
		Custom: map[string]string{"custom:tenant": "acme & co", "custom:tier": "gold", "locale": "en-GB"},
	}
	goldenActor = ActorView{UserID: "U0123ABCD", TeamID: "T0001"}
)

func goldenUsers() []UserView {
	return []UserView{
		goldenUser,
		{Username: "alice.smith", Email: "alice.smith@example.org", Status: "FORCE_CHANGE_PASSWORD", Enabled: true},
		{Username: "alice_b", Email: "ab@example.net", Status: "CONFIRMED", Enabled: false},
	}
}

var goldenHelp = []HelpEntry{
	{Name: "lookup", Aliases: []string{"show", "get"}, Usage: "lookup <username|email|phone|sub> [--pool NAME] [--public]", Summary: "Show a user's details."},
	{Name: "list", Aliases: []string{"ls"}, Usage: "list [--status STATUS] [--group NAME] [--pool NAME]", Summary: "List users, 20 per page."},
	{Name: "disable", Usage: "disable <user> [--reason TEXT]", Summary: "Stop a user from signing in.", Destructive: true},
	{Name: "pools", Usage: "pools", Summary: "List the configured user pools."},
}

// goldenCases are the representative renderings kept under testdata/.
var goldenCases = func() map[string]any {
	approval := ApprovalView{ID: "apr_7Q2", Action: "delete", Words: tableWords("delete"), Requester: goldenActor, Target: goldenUser,
		Pool: goldenPool, Reason: "GDPR erasure request, ticket SUP-4411", Created: goldenNow, Expires: goldenNow.Add(24 * time.Hour)}
	out := map[string]any{
		"lookup": LookupCard(goldenUser, goldenPool, false, []CardButton{
			tableButton("disable", "ses_1"), tableButton("reset-password", "ses_1"), tableButton("revoke", "ses_1"), tableButton("delete", "ses_1")}),
		"lookup_public": LookupCard(goldenUser, goldenPool, true, nil),
		"matches":       MatchesList("alice", goldenPool, goldenUsers(), func(i int) string { return "pick_" + string(rune('a'+i)) }),
		"list": ListPage(ListPageView{Pool: goldenPool, Filter: "status = CONFIRMED", Users: goldenUsers(),
			Page: 2, PageSize: 3, HasPrev: true, HasNext: true, Value: "lst_9"}),
		"list_empty": ListPage(ListPageView{Pool: goldenPool, Filter: "group = admins", Page: 1, PageSize: 20}),
		"confirm": ConfirmPrompt(ConfirmView{ID: "cnf_42", Action: "disable", Words: tableWords("disable"), Username: "alice", Pool: "prod",
			Requester: goldenActor, Expires: goldenNow.Add(5 * time.Minute), Reason: "Suspicious logins from new country",
			Detail: "They will no longer be able to sign in."}),
		"result_ok": ActionResult(ResultView{Action: "disable", Words: tableWords("disable"), Username: "alice", Pool: "prod", By: goldenActor,
			At: goldenNow, OK: true, Ref: "aud_5KX"}),
		"result_error": ActionResult(ResultView{Action: "reset-password", Words: tableWords("reset-password"), Username: "alice", Pool: "prod", By: goldenActor,
			At: goldenNow, Message: "user is not confirmed (UserNotConfirmedException)", Ref: "err_8c1"}),
		"notice":         Notice("No user in pool prod matches <!channel>."),
		"notice_trusted": TrustedNotice("<@U0123ABCD> cancelled the request."),
		"approval":       ApprovalCard(approval),
		"approval_approved": ApprovalDecided(approval, DecisionView{State: "approved", By: ActorView{UserID: "U0999LEAD"},
			At: goldenNow.Add(time.Hour), OK: true}),
		"approval_failed": ApprovalDecided(approval, DecisionView{State: "failed", By: ActorView{UserID: "U0999LEAD"},
			At: goldenNow.Add(time.Hour), Result: "Cognito is throttling requests; try again"}),
		"approval_rejected": ApprovalDecided(approval, DecisionView{State: "rejected", By: ActorView{UserID: "U0999LEAD"}, At: goldenNow.Add(time.Hour)}),
		"approval_expired":  ApprovalDecided(approval, DecisionView{State: "expired", At: goldenNow.Add(24 * time.Hour)}),
		"approval_export": ApprovalCard(ApprovalView{ID: "apr_exp", Action: "export", Words: tableWords("export"), Requester: goldenActor,
			Pool: goldenPool, Reason: "Quarterly access review", Created: goldenNow, Expires: goldenNow.Add(time.Hour), Subject: "the users of prod",
			Args: map[string]string{"filter": "status CONFIRMED, in group support", "attributes": "email,custom:tenant", "with groups": "true"}}),
		"approval_long_values": ApprovalCard(ApprovalView{ID: "apr_long", Action: "edit", Words: tableWords("edit"), Requester: goldenActor,
			Target: goldenUser, Pool: goldenPool, Created: goldenNow, Expires: goldenNow.Add(time.Hour),
			Changes: []ChangeView{{Name: "email", Old: "alice@example.com", New: "alice@corp.example.com." + strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + ".evil.example", Verified: true}}}),
		"pools": PoolsList([]PoolView{goldenPool,
			{Name: "staging", ID: "eu-west-1_StG987", Region: "eu-west-1", EstimatedUsers: 312},
			{Name: "legacy", ID: "us-east-1_LeG001", Region: "us-east-1", EstimatedUsers: -1}}),
		"usage":        Usage(goldenHelp[0], "/cognito", "missing <username|email|phone|sub>"),
		"reason_modal": ReasonModal("ses_1", "delete", tableWords("delete"), "alice"),
	}
	maps.Copy(out, ticketGoldenCases())
	maps.Copy(out, safetyNetGoldenCases())
	return out
}

func init() {
	base := goldenCases
	goldenCases = func() map[string]any {
		m := base()
		for k, v := range deskGolden() {
			m[k] = v
		}
		return m
	}
}

func marshalGolden(t *testing.T, v any) []byte {
	t.Helper()
	if m, ok := v.(Message); ok {
		return viewstest.MessageJSON(t, m.Text, m.Blocks)
	}
	return viewstest.GoldenJSON(t, v)
}

// TestGoldenViews compares every golden case with its file under testdata/
// (go test ./bot/views/... -run Golden -update rewrites them).
func TestGoldenViews(t *testing.T) {
	for name, v := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			viewstest.Golden(t, name, marshalGolden(t, v))
		})
	}
}
