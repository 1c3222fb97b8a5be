package views

import "github.com/cognito-bot/cognito-bot/internal/actions"

// tableWords phrases an action as package bot does: from the action table.
func tableWords(action string) Words {
	s, _ := actions.Get(actions.Action(action))
	return Words{Button: s.Button, Verb: s.Verb, Done: s.Done}
}

// tableButton is the card button package bot renders for action.
func tableButton(action, value string) CardButton {
	s, _ := actions.Get(actions.Action(action))
	b := CardButton{Action: action, Words: tableWords(action), Style: s.ButtonStyle, Value: value}
	if s.Destructive {
		b.Confirm = s.Detail
	}
	return b
}
