package deskview

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// deskGoldenCases are the desk views' representative renderings.
func deskGoldenCases() map[string]any {
	fix := tableButton("enable", "ses_2#0")
	disabled := goldenUser
	disabled.Enabled = false
	events := []EventView{
		{Time: goldenNow, Type: "SignIn", Result: "Pass", IP: "192.0.2.10", City: "Lyon", Country: "France", Device: "Firefox 132, Linux"},
		{Time: goldenNow.Add(-time.Hour), Type: "SignIn", Result: "Fail", IP: "198.51.100.7", Country: "Brazil"},
		{Time: goldenNow.Add(-48 * time.Hour), Type: "ForgotPassword", Result: "Pass", IP: "192.0.2.10"},
	}
	return map[string]any{
		"lookup_desk": UserCard(disabled, goldenPool, false, CardOptions{
			Diagnosis: &DiagnosisView{Sentence: "alice is disabled, so Cognito refuses every sign-in.", Blocked: true},
			Buttons:   []views.CardButton{fix, tableButton("reset-password", "ses_2#1"), tableButton("revoke", "ses_2#2")},
			Menu: []MenuItem{{Label: "Delete", Value: "ses_2#3"}, {Label: "Reset MFA", Value: "ses_2#4"}, {Label: "Suspend", Value: "ses_2#5"},
				{Label: "Sign-in history", Value: "ses_2#6"}, {Label: "Devices", Value: "ses_2#7"}, {Label: "Verify phone", Value: "ses_2#8"}},
		}),
		"why":              WhyAnswer("alice", goldenPool, DiagnosisView{Sentence: "alice is disabled, so Cognito refuses every sign-in.", Blocked: true}, &fix),
		"why_fine":         WhyAnswer("alice", goldenPool, DiagnosisView{Sentence: "Nothing blocks sign-in. Last successful sign-in: 14 Nov 2026 22:13 UTC."}, nil),
		"history":          SignInHistory(HistoryView{Username: "alice", Pool: goldenPool, Events: events}),
		"history_no_addon": SignInHistory(HistoryView{Username: "alice", Pool: goldenPool, NoAddOn: true}),
		"devices": DevicesList("alice", goldenPool, []DeviceView{
			{Name: "iPhone 15", LastIP: "192.0.2.10", Remembered: "remembered", LastUsed: goldenNow, ForgetValue: "ses_3"},
			{Name: "Firefox 132, Linux", LastIP: "198.51.100.7", LastUsed: goldenNow.Add(-72 * time.Hour), ForgetValue: "ses_4"},
		}),
		"devices_none": DevicesList("alice", goldenPool, nil),
	}
}

// deskHostileMessages renders the desk views with maximal, hostile input.
func deskHostileMessages(u views.UserView, pool views.PoolView) map[string]views.Message {
	var menu []MenuItem
	var events []EventView
	var devices []DeviceView
	for i := 0; i < 40; i++ {
		menu = append(menu, MenuItem{Label: hostile(300), Value: hostile(5000)})
		events = append(events, EventView{Time: time.Unix(int64(1700000000+i), 0), Type: hostile(300), Result: hostile(300),
			IP: hostile(300), City: hostile(300), Country: hostile(300), Device: hostile(3000)})
		devices = append(devices, DeviceView{Name: hostile(3000), LastIP: hostile(300), Remembered: hostile(300),
			LastUsed: time.Unix(1700000000, 0), ForgetValue: hostile(5000)})
	}
	diag := DiagnosisView{Sentence: hostile(5000), Blocked: true}
	fix := tableButton("enable", hostile(5000))
	return map[string]views.Message{
		"user_card":        UserCard(u, pool, false, CardOptions{Diagnosis: &diag, Buttons: []views.CardButton{fix}, Menu: menu}),
		"user_card_public": UserCard(u, pool, true, CardOptions{Diagnosis: &diag, Menu: menu}),
		"why":              WhyAnswer(hostile(300), pool, diag, &fix),
		"history":          SignInHistory(HistoryView{Username: hostile(300), Pool: pool, Events: events}),
		"history_no_addon": SignInHistory(HistoryView{Username: hostile(300), Pool: pool, NoAddOn: true}),
		"devices":          DevicesList(hostile(300), pool, devices),
	}
}

// TestDeskViewsOverflowWithinLimits checks what the common checker does not:
// overflow menus of at most five options, each within Block Kit's limits, and
// a public card without any action. Escaping of every mrkdwn text is checked
// for these views by TestLimitsHostileViews (they are in hostileMessages).
func TestDeskViewsOverflowWithinLimits(t *testing.T) {
	for name, m := range deskHostileMessages(hostileUser(0), views.PoolView{Name: hostile(300)}) {
		raw, _ := json.Marshal(m.Blocks)
		var blocks []map[string]any
		_ = json.Unmarshal(raw, &blocks)
		menus := 0
		for _, b := range blocks {
			els, _ := b["elements"].([]any)
			if b["type"] == "actions" && len(els) > 25 {
				t.Errorf("%s: %d elements", name, len(els))
			}
			for _, e := range els {
				el, _ := e.(map[string]any)
				if el["type"] != "overflow" {
					continue
				}
				menus++
				opts, _ := el["options"].([]any)
				if len(opts) < 1 || len(opts) > 5 {
					t.Errorf("%s: overflow with %d options", name, len(opts))
				}
				if el["confirm"] != nil {
					t.Errorf("%s: the overflow carries one confirm for all its options", name)
				}
				for _, o := range opts {
					opt, _ := o.(map[string]any)
					if n := viewstest.Runes(viewstest.TextOf(opt["text"])); n == 0 || n > 75 {
						t.Errorf("%s: option text of %d chars", name, n)
					}
					if n := viewstest.Runes(opt["value"]); n > 150 {
						t.Errorf("%s: option value of %d chars", name, n)
					}
				}
			}
		}
		if name == "user_card_public" && menus > 0 {
			t.Errorf("the public card shows a menu")
		}
		if name == "user_card" && menus == 0 {
			t.Errorf("the card lost its menu")
		}
	}
}

func TestHistoryWithoutTheAddOnSaysSoPlainly(t *testing.T) {
	m := SignInHistory(HistoryView{Username: "alice", Pool: views.PoolView{Name: "prod"}, NoAddOn: true})
	raw, _ := json.Marshal(m.Blocks)
	if !strings.Contains(string(raw), "does not record sign-in events") || !strings.Contains(string(raw), "threat protection") {
		t.Errorf("the answer should say the pool does not record sign-ins and why:\n%s", raw)
	}
}
