package views

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// deskGolden are the views of create, edit and groups kept under testdata/.
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
		"groups": GroupsList(goldenPool, []GroupView{{Name: "admins", Description: "Full access", Precedence: "1"}, {Name: "beta"}}),
		"user_groups": UserGroups(UserGroupsView{Username: "alice", Pool: goldenPool, Groups: []string{"support"},
			RemoveValue: func(i int) string { return fmt.Sprintf("ses_g#%d", i) }, Addable: []string{"admins"},
			AddValue: func(i int) string { return fmt.Sprintf("ses_g#%d", i) }}),
		"created":          CreatedCard(CreatedView{User: goldenUser, Pool: goldenPool, InvitedBy: "email"}),
		"created_password": CreatedCard(CreatedView{User: goldenUser, Pool: goldenPool, Password: "Xy7!abc_def*ghi~"}),
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
	pool := PoolView{Name: hostile(300), ID: hostile(300)}
	val := func(int) string { return hostile(5000) }
	var gv []GroupView
	for _, g := range groups {
		gv = append(gv, GroupView{Name: g, Description: hostile(5000), Precedence: hostile(50)})
	}
	msgs := map[string]Message{
		"confirm_edit": ConfirmPrompt(ConfirmView{ID: hostile(5000), Action: hostile(300), Username: hostile(5000), Pool: hostile(300),
			Requester: ActorView{UserID: "<!channel>"}, Reason: hostile(5000), Detail: hostile(5000), Changes: changes}),
		"groups":           GroupsList(pool, gv),
		"groups_empty":     GroupsList(pool, nil),
		"user_groups":      UserGroups(UserGroupsView{Username: hostile(5000), Pool: pool, Groups: groups, RemoveValue: val, Addable: groups, AddValue: val}),
		"user_groups_none": UserGroups(UserGroupsView{Username: hostile(5000), Pool: pool}),
		"created":          CreatedCard(CreatedView{User: hostileUser(1), Pool: pool, InvitedBy: hostile(300), Password: hostile(5000)}),
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
			checkInputs(t, v.Blocks.BlockSet)
		})
	}
}

// checkInputs checks the limits of inputs and selects, which checkBlocks does
// not look at: option count, text and value, initial values within max_length.
func checkInputs(t *testing.T, blocks []slack.Block) {
	t.Helper()
	raw, _ := json.Marshal(blocks)
	var bs []map[string]any
	_ = json.Unmarshal(raw, &bs)
	for i, b := range bs {
		if id, _ := b["block_id"].(string); runes(id) > 255 {
			t.Errorf("block %d: block_id of %d chars", i, runes(id))
		}
		el, _ := b["element"].(map[string]any)
		if el == nil {
			continue
		}
		if lbl, _ := b["label"].(map[string]any); runes(lbl["text"]) > 2000 || runes(lbl["text"]) == 0 {
			t.Errorf("block %d: label of %d chars", i, runes(lbl["text"]))
		}
		if ph, _ := el["placeholder"].(map[string]any); ph != nil && runes(ph["text"]) > 150 {
			t.Errorf("block %d: placeholder of %d chars", i, runes(ph["text"]))
		}
		if iv, ok := el["initial_value"].(string); ok {
			if ml, _ := el["max_length"].(float64); runes(iv) > int(ml) || ml > 3000 {
				t.Errorf("block %d: initial_value %d chars, max_length %v", i, runes(iv), ml)
			}
		}
		opts, _ := el["options"].([]any)
		limit := 100
		if el["type"] == "checkboxes" {
			limit = 10
		}
		if len(opts) > limit {
			t.Errorf("block %d: %d options", i, len(opts))
		}
		for _, o := range opts {
			om := o.(map[string]any)
			txt := om["text"].(map[string]any)
			if runes(txt["text"]) > 75 || runes(om["value"]) > 150 {
				t.Errorf("block %d: option text %d / value %d chars", i, runes(txt["text"]), runes(om["value"]))
			}
		}
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
