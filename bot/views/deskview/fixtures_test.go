package deskview

import (
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// The golden fixtures, as package views' tests define them, so the desk
// views render the same user, pool and people.
var (
	goldenNow  = time.Date(2026, 11, 14, 22, 13, 0, 0, time.UTC)
	goldenPool = views.PoolView{Name: "prod", ID: "eu-west-1_AbC123xyZ", Region: "eu-west-1", Default: true, EstimatedUsers: 48213}
	goldenUser = views.UserView{
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
	goldenActor = views.ActorView{UserID: "U0123ABCD", TeamID: "T0001"}
)

// tableWords phrases an action as package bot does: from the action table.
func tableWords(action string) views.Words {
	s, _ := actions.Get(actions.Action(action))
	return views.Words{Button: s.Button, Verb: s.Verb, Done: s.Done}
}

// tableButton is the card button package bot renders for action.
func tableButton(action, value string) views.CardButton {
	s, _ := actions.Get(actions.Action(action))
	b := views.CardButton{Action: action, Words: tableWords(action), Style: s.ButtonStyle, Value: value}
	if s.Destructive {
		b.Confirm = s.Detail
	}
	return b
}

// hostile returns n runes of text built to break escaping and limits.
func hostile(n int) string { return viewstest.Hostile(n) }

// hostileUser is a user whose every field is as long and hostile as input gets.
func hostileUser(i int) views.UserView {
	u := views.UserView{
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
