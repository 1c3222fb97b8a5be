package views

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// deskGolden are the views of create and edit kept under testdata/ (the
// groups views are package desk's).
func deskGolden() map[string]any {
	return map[string]any{
		"create_modal": CreateModal(CreateFormView{Meta: "ses_c", Pool: "prod",
			Fields: []FormField{{Name: "email", Required: true, Hint: "alice@example.com"}, {Name: "phone_number", Label: "Phone", Hint: "+15555550100"},
				{Name: "custom:tenant"}}, Groups: []string{"admins", "support"}}),
		"edit_modal": EditModal(EditFormView{Meta: "ses_e", Username: "alice", Pool: "prod",
			Fields:   []FormField{{Name: "email", Value: "alice@example.com"}, {Name: "name", Value: "Alice"}},
			ReadOnly: map[string]string{"custom:employee_id": "E7"}, Contacts: []string{"email"}}),
		"confirm_edit": ConfirmPrompt(ConfirmView{ID: "cnf_e", Action: "edit", Words: Words{Verb: "change the attributes of", Done: "changed the attributes of"},
			Username: "alice", Pool: "prod", Requester: goldenActor, Expires: goldenNow.Add(5 * time.Minute),
			Changes: []ChangeView{{Name: "custom:tenant", Old: "acme"}, {Name: "email", Old: "alice@example.com", New: "alice@new.example", Verified: true},
				{Name: "locale", New: "en-GB"}}}),
	}
}

// hostileDesk renders the new views with maximal, hostile input.
func hostileDesk() (map[string]Message, map[string]slack.ModalViewRequest) {
	var fields []FormField
	var groups []string
	var changes []ChangeView
	readOnly := map[string]string{}
	for i := 0; i < 200; i++ {
		fields = append(fields, FormField{Name: fmt.Sprintf("%d%s", i, hostile(300)), Label: hostile(5000), Value: hostile(5000), Hint: hostile(300), Required: i%2 == 0})
		groups = append(groups, fmt.Sprintf("%03d%s", i, hostile(5000)))
		changes = append(changes, ChangeView{Name: hostile(300), Old: hostile(5000), New: hostile(5000), Verified: true})
		readOnly[fmt.Sprintf("%d%s", i, hostile(100))] = hostile(5000)
	}
	msgs := map[string]Message{
		"confirm_edit": ConfirmPrompt(ConfirmView{ID: hostile(5000), Action: hostile(300), Username: hostile(5000), Pool: hostile(300),
			Requester: ActorView{UserID: "<!channel>"}, Reason: hostile(5000), Detail: hostile(5000), Changes: changes}),
	}
	modals := map[string]slack.ModalViewRequest{
		"create_modal": CreateModal(CreateFormView{Meta: hostile(5000), Pool: hostile(5000), Fields: fields, Groups: groups}),
		"edit_modal": EditModal(EditFormView{Meta: hostile(5000), Username: hostile(5000), Pool: hostile(5000), Fields: fields,
			ReadOnly: readOnly, Contacts: []string{"email", "phone_number", hostile(300)}}),
	}
	return msgs, modals
}

func TestDeskViewsHostile(t *testing.T) {
	msgs, modals := hostileDesk()
	for name, m := range msgs {
		t.Run(name, func(t *testing.T) {
			checkLimits(t, m)
			if raw, _ := json.Marshal(m.Blocks); strings.Contains(string(raw), "<!channel>") {
				t.Error("an unescaped <!channel> reached the blocks")
			}
		})
	}
	for name, v := range modals {
		t.Run(name, func(t *testing.T) {
			checkModalLimits(t, v)
			viewstest.CheckInputs(t, v.Blocks.BlockSet)
		})
	}
}
