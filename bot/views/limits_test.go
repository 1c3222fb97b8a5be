package views

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// checkLimits fails if m breaks a Block Kit limit or carries unescaped user
// text in mrkdwn (slack-platform.md §7).
func checkLimits(t *testing.T, m Message) {
	t.Helper()
	viewstest.CheckMessage(t, m.Text, m.Blocks)
}

// checkModalLimits is checkLimits for a modal view.
func checkModalLimits(t *testing.T, v slack.ModalViewRequest) {
	t.Helper()
	viewstest.CheckModal(t, v)
}

func TestLimitsHostileViews(t *testing.T) {
	for name, m := range hostileMessages() {
		t.Run(name, func(t *testing.T) { checkLimits(t, m) })
	}
	t.Run("notice_trusted", func(t *testing.T) {
		m := TrustedNotice(strings.Repeat("<@U0123ABCD> did a thing. ", 500))
		checkLimits(t, m)
	})
	t.Run("reason_modal", func(t *testing.T) {
		checkModalLimits(t, ReasonModal(hostile(5000), hostile(300), Words{}, hostile(300)))
	})
}

func TestLimitsGoldenViews(t *testing.T) {
	for name, v := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			switch v := v.(type) {
			case Message:
				checkLimits(t, v)
			case slack.ModalViewRequest:
				checkModalLimits(t, v)
			}
		})
	}
}
