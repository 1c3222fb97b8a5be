package views

import (
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// Hostile, maximal inputs for the limits tests: every string is long and full
// of mentions, entities and formatting that must neither ping nor break a view.

// hostile returns n runes of text built to break escaping and limits.
func hostile(n int) string { return viewstest.Hostile(n) }

func hostileUser(i int) UserView {
	u := UserView{
		Username: fmt.Sprintf("%d%s", i, hostile(300)), Sub: hostile(300), Email: hostile(300) + "@" + hostile(50),
		Phone: "+1" + hostile(300), Status: hostile(300), PreferredMFA: hostile(300),
		Created: time.Unix(1700000000, 0), Modified: time.Unix(1700000000, 0),
		Custom: map[string]string{},
	}
	for g := 0; g < 200; g++ {
		u.Groups = append(u.Groups, fmt.Sprintf("%03d%s", g, hostile(100)))
	}
	for a := 0; a < 50; a++ {
		u.MFAMethods = append(u.MFAMethods, hostile(200))
		u.Custom[fmt.Sprintf("custom:%02d%s", a, hostile(300))] = hostile(2000)
	}
	return u
}

// hostileMessages renders every view with maximal, hostile input.
func hostileMessages() map[string]Message {
	users := make([]UserView, 60)
	for i := range users {
		users[i] = hostileUser(i)
	}
	pool := PoolView{Name: hostile(300), ID: hostile(300), Region: hostile(300), EstimatedUsers: -1}
	actor := ActorView{UserID: "<!channel>", TeamID: hostile(50)}
	reason := hostile(5000)
	var buttons []CardButton
	for _, a := range []string{"disable", "enable", "reset-password", "revoke", "delete", "disable", hostile(300)} {
		b := tableButton(a, hostile(5000))
		b.Action = a
		buttons = append(buttons, b)
	}
	appr := ApprovalView{ID: hostile(3000), Action: hostile(300), Requester: actor, Target: users[0], Pool: pool,
		Reason: reason, Created: time.Unix(1700000000, 0), Expires: time.Unix(1700086400, 0),
		Args: hostileArgs(), Changes: hostileChanges()}
	var pools []PoolView
	var help []HelpEntry
	for i := 0; i < 200; i++ {
		pools = append(pools, pool)
		help = append(help, HelpEntry{Name: hostile(300), Aliases: []string{hostile(300), hostile(300)},
			Usage: hostile(3000), Summary: hostile(3000), Destructive: true})
	}
	out := map[string]Message{
		"lookup":        LookupCard(users[0], pool, false, buttons),
		"lookup_public": LookupCard(users[0], pool, true, buttons),
		"matches":       MatchesList(hostile(5000), pool, users, func(int) string { return hostile(5000) }),
		"matches_nil":   MatchesList(hostile(5000), pool, users, nil),
		"list": ListPage(ListPageView{Pool: pool, Filter: reason, Users: users, Page: 3, PageSize: 60,
			HasPrev: true, HasNext: true, Value: hostile(5000)}),
		"list_empty": ListPage(ListPageView{Pool: pool, Filter: reason}),
		"confirm": ConfirmPrompt(ConfirmView{ID: hostile(5000), Action: hostile(300), Username: hostile(300), Pool: hostile(300),
			Requester: actor, Expires: time.Unix(1700000000, 0), Reason: reason, Detail: reason,
			Args: hostileArgs(), Changes: hostileChanges()}),
		"result_ok": ActionResult(ResultView{Action: "delete", Username: hostile(300), Pool: hostile(300), By: actor,
			At: time.Unix(1700000000, 0), OK: true, Message: reason, Ref: reason}),
		"result_fail": ActionResult(ResultView{Action: hostile(300), Username: hostile(300), Pool: hostile(300), By: actor,
			Message: reason, Ref: reason}),
		"notice":            Notice(hostile(10000)),
		"approval":          ApprovalCard(appr),
		"pools":             PoolsList(pools),
		"help":              HelpList(help, hostile(300)),
		"usage":             Usage(help[0], hostile(300), reason),
		"empty_zero_values": LookupCard(UserView{}, PoolView{}, false, nil),
	}
	for _, st := range []string{"approved", "rejected", "expired", "failed", "cancelled", hostile(300)} {
		out["approval_"+Truncate(st, 12)] = ApprovalDecided(appr, DecisionView{State: st, By: actor,
			At: time.Unix(1700000000, 0), Result: reason, OK: st == "approved"})
	}
	return out
}

// hostileArgs and hostileChanges are action details as hostile as input gets.
func hostileArgs() map[string]string {
	args := map[string]string{}
	for i := range 30 {
		args[hostile(60+i)] = hostile(3000)
	}
	return args
}

func hostileChanges() []ChangeView {
	var out []ChangeView
	for i := range 30 {
		out = append(out, ChangeView{Name: hostile(40 + i), Old: hostile(3000), New: hostile(3000), Verified: i%2 == 0})
	}
	return out
}
