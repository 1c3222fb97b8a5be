package views

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// cardText is everything a card shows, as Slack would get it.
func cardText(t *testing.T, m Message) string {
	t.Helper()
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// Issue 14: an approval card cut values at 120 characters, so an approver
// saw "boss@corp.example.com.aaaa…" and approved mail going to evil.example.
// Every value is now shown whole somewhere in the card, and an email's
// domain is never cut, even in the short line.
func TestCardsShowTheEndOfEveryValue(t *testing.T) {
	evil := "boss@corp.example.com." + strings.Repeat("a", 100) + ".evil.example"
	long := strings.Repeat("x", 400) + "THE-END"
	changes := []ChangeView{{Name: "email", Old: "boss@corp.example.com", New: evil}, {Name: "custom:note", Old: "", New: long}}
	args := map[string]string{"group": strings.Repeat("g", 127) + "Z"}
	approval := ApprovalCard(ApprovalView{ID: "p1", Action: "edit", Requester: ActorView{UserID: "U1"},
		Target: UserView{Username: "boss", Email: "boss@corp.example.com"}, Pool: PoolView{Name: "prod"},
		Changes: changes, Args: args, Created: time.Unix(1700000000, 0), Expires: time.Unix(1700003600, 0)})
	confirm := ConfirmPrompt(ConfirmView{ID: "p1", Action: "edit", Username: "boss", Pool: "prod", Requester: ActorView{UserID: "U1"},
		Changes: changes, Args: args})
	for name, m := range map[string]Message{"approval": approval, "confirm": confirm} {
		text := cardText(t, m)
		for _, want := range []string{evil, long, args["group"]} {
			if !strings.Contains(text, want) {
				t.Errorf("the %s card hides the end of %q…", name, want[:30])
			}
		}
		// In the change line itself, the domain is whole.
		if !strings.Contains(text, "@corp.example.com."+strings.Repeat("a", 100)+".evil.example` (in full below)") {
			t.Errorf("the %s card's change line cuts the email's domain:\n%s", name, text)
		}
	}
	if !DetailsShowWhole(args, changes) {
		t.Error("DetailsShowWhole: these fit; want true")
	}
	if DetailsShowWhole(hostileArgs(), hostileChanges()) {
		t.Error("DetailsShowWhole: 30 hostile values of 3000 characters cannot be shown whole; want false, so the bot refuses")
	}
}
