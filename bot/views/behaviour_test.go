package views

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
	"github.com/slack-go/slack"
)

// buttonsOf returns every button in m, in order.
func buttonsOf(m Message) []*slack.ButtonBlockElement {
	var out []*slack.ButtonBlockElement
	for _, b := range m.Blocks {
		switch b := b.(type) {
		case *slack.ActionBlock:
			for _, e := range b.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					out = append(out, btn)
				}
			}
		case *slack.SectionBlock:
			if b.Accessory != nil && b.Accessory.ButtonElement != nil {
				out = append(out, b.Accessory.ButtonElement)
			}
		}
	}
	return out
}

// mrkdwnOf is every text of m as marshalled, one per line.
func mrkdwnOf(t *testing.T, m Message) string {
	t.Helper()
	return viewstest.Strings(t, m.Text, m.Blocks)
}

func TestViewLookupPublicMasks(t *testing.T) {
	private := mrkdwnOf(t, LookupCard(goldenUser, goldenPool, false, nil))
	public := mrkdwnOf(t, LookupCard(goldenUser, goldenPool, true, nil))
	for _, s := range []string{"alice@example.com", "+12025550100", "custom:tier"} {
		if !strings.Contains(private, s) {
			t.Errorf("private card lacks %q", s)
		}
		if strings.Contains(public, s) {
			t.Errorf("public card shows %q", s)
		}
	}
	for _, s := range []string{"a***@example.com", "+1******0100"} {
		if !strings.Contains(public, s) {
			t.Errorf("public card lacks masked %q", s)
		}
	}
}

func TestViewLookupButtons(t *testing.T) {
	m := LookupCard(goldenUser, goldenPool, false, []CardButton{
		tableButton("enable", "v1"), tableButton("delete", "v2"), {Value: "v3"}, tableButton("delete", "v4")})
	btns := buttonsOf(m)
	if len(btns) != 2 {
		t.Fatalf("got %d buttons, want 2 (enable, delete)", len(btns))
	}
	if btns[0].ActionID != ActionIDCardPrefix+"enable" || btns[0].Confirm != nil || btns[0].Value != "v1" {
		t.Errorf("enable button = %+v, want %s without confirm, value v1", btns[0], ActionIDCardPrefix+"enable")
	}
	del := btns[1]
	if del.ActionID != ActionIDCardPrefix+"delete" || del.Style != slack.StyleDanger || del.Value != "v2" {
		t.Errorf("delete button = %+v", del)
	}
	if del.Confirm == nil || del.Confirm.Deny == nil || del.Confirm.Title.Text != "Delete alice?" || del.Confirm.Style != slack.StyleDanger {
		t.Errorf("delete confirm = %+v, want danger dialog titled %q with deny", del.Confirm, "Delete alice?")
	}
	if none := buttonsOf(LookupCard(goldenUser, goldenPool, false, nil)); len(none) != 0 {
		t.Errorf("card without permitted actions has %d buttons", len(none))
	}
}

func TestViewMentionInjection(t *testing.T) {
	u := goldenUser
	u.Username = "<!channel> *x*"
	for name, m := range map[string]Message{
		"matches": MatchesList("x", goldenPool, []UserView{u}, nil),
		"list":    ListPage(ListPageView{Pool: goldenPool, Users: []UserView{u}, Page: 1, PageSize: 20}),
		"result":  ActionResult(ResultView{Action: "disable", Words: tableWords("disable"), Username: u.Username, OK: true}),
		"notice":  Notice(u.Username),
	} {
		all := mrkdwnOf(t, m)
		if !strings.Contains(all, "&lt;!channel&gt; *x*") {
			t.Errorf("%s: escaped name missing in %q", name, all)
		}
		if strings.Contains(all, "<!channel>") {
			t.Errorf("%s: raw <!channel> in output", name)
		}
	}
}

func TestViewMatchesCapsRows(t *testing.T) {
	users := make([]UserView, 25)
	m := MatchesList("a", goldenPool, users, func(i int) string { return string(rune('a' + i)) })
	btns := buttonsOf(m)
	if len(btns) != maxMatchRows {
		t.Fatalf("got %d Select buttons, want %d", len(btns), maxMatchRows)
	}
	for i, b := range btns {
		if b.ActionID != ActionIDPick || b.Value != string(rune('a'+i)) {
			t.Errorf("button %d = %s/%s", i, b.ActionID, b.Value)
		}
	}
	if !strings.Contains(m.Text, "25 users match") {
		t.Errorf("text %q does not count all matches", m.Text)
	}
}

func TestViewListNavigation(t *testing.T) {
	tests := []struct {
		prev, next bool
		want       []string
	}{
		{false, false, nil},
		{true, false, []string{ActionIDListPrev}},
		{false, true, []string{ActionIDListNext}},
		{true, true, []string{ActionIDListPrev, ActionIDListNext}},
	}
	for _, tt := range tests {
		m := ListPage(ListPageView{Pool: goldenPool, Users: goldenUsers(), Page: 1, PageSize: 3, HasPrev: tt.prev, HasNext: tt.next, Value: "v"})
		var got []string
		for _, b := range buttonsOf(m) {
			got = append(got, b.ActionID)
			want := map[string]string{ActionIDListPrev: "v#0", ActionIDListNext: "v#2"}[b.ActionID]
			if b.Value != want {
				t.Errorf("button %s value %q, want %q (session#page)", b.ActionID, b.Value, want)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("prev=%v next=%v: buttons %v, want %v", tt.prev, tt.next, got, tt.want)
		}
	}
	if empty := mrkdwnOf(t, ListPage(ListPageView{Pool: goldenPool})); !strings.Contains(empty, "No users match") {
		t.Errorf("empty page lacks %q", "No users match")
	}
}

func TestViewListSixtyUsersFits(t *testing.T) {
	users := make([]UserView, 60)
	for i := range users {
		users[i] = goldenUser
	}
	m := ListPage(ListPageView{Pool: goldenPool, Users: users, Page: 1, PageSize: 60, HasNext: true})
	if len(m.Blocks) > 10 {
		t.Errorf("60 ordinary users took %d blocks; rows should share sections", len(m.Blocks))
	}
	if got := strings.Count(mrkdwnOf(t, m), "alice@example.com"); got != 60 {
		t.Errorf("%d of 60 rows shown", got)
	}
}

func TestViewApprovalDecidedHasNoButtons(t *testing.T) {
	a := ApprovalView{ID: "id", Action: "delete", Words: tableWords("delete"), Requester: goldenActor, Target: goldenUser, Pool: goldenPool}
	if n := len(buttonsOf(ApprovalCard(a))); n != 2 {
		t.Errorf("open card has %d buttons, want 2", n)
	}
	for _, st := range []string{"approved", "rejected", "expired", "failed", "cancelled"} {
		m := ApprovalDecided(a, DecisionView{State: st, By: ActorView{UserID: "U0999LEAD"}, OK: true})
		if n := len(buttonsOf(m)); n != 0 {
			t.Errorf("%s card has %d buttons", st, n)
		}
	}
}

func TestViewReasonModal(t *testing.T) {
	v := ReasonModal("tok", "disable", tableWords("disable"), "<!here>")
	if v.CallbackID != ReasonCallbackID || v.PrivateMetadata != "tok" || v.Submit == nil || v.Close == nil {
		t.Fatalf("modal = %+v", v)
	}
	var input *slack.InputBlock
	for _, b := range v.Blocks.BlockSet {
		if ib, ok := b.(*slack.InputBlock); ok {
			input = ib
		}
	}
	if input == nil || input.BlockID != ReasonBlockID {
		t.Fatalf("no input block %q", ReasonBlockID)
	}
	el, ok := input.Element.(*slack.PlainTextInputBlockElement)
	if !ok || el.ActionID != ReasonActionID || !el.Multiline || el.MaxLength != reasonMaxLen {
		t.Errorf("input element = %+v", input.Element)
	}
	raw, _ := json.Marshal(v)
	if strings.Contains(string(raw), `\u003c!here\u003e`) {
		t.Errorf("modal carries raw <!here>: %s", raw)
	}
}

// Help says what ⚠️ really means (not every command that changes a user asks
// first) and reads naturally with one alias or several.
func TestHelpExplainsTheWarningAndCountsAliases(t *testing.T) {
	help := HelpList([]HelpEntry{
		{Name: "reset-password", Aliases: []string{"reset"}, Usage: "reset-password <user>", Summary: "Reset.", Destructive: true},
		{Name: "revoke", Aliases: []string{"signout", "logout"}, Usage: "revoke <user>", Summary: "Sign out."},
		{Name: "enable", Usage: "enable <user>", Summary: "Enable."},
	}, "/cognito")
	text := mrkdwnOf(t, help)
	for _, want := range []string{"can lock a user out or lose data", "_(alias: reset)_", "_(aliases: signout, logout)_"} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "commands that change users") {
		t.Errorf("help still says every command that changes users asks first:\n%s", text)
	}
	usage := mrkdwnOf(t, Usage(HelpEntry{Name: "reset-password", Aliases: []string{"reset"}, Destructive: true}, "/cognito", ""))
	if !strings.Contains(usage, "*Alias:* reset") || !strings.Contains(usage, "lock the user out or lose data") {
		t.Errorf("usage:\n%s", usage)
	}
}
