package views

import (
	"time"

	"github.com/slack-go/slack"
)

// ResultView is the outcome of an action the bot carried out.
type ResultView struct {
	Action, Username, Pool string
	// Words phrase the action, from the action table.
	Words Words
	By    ActorView
	At    time.Time
	// OK reports whether the action succeeded.
	OK bool
	// Message is the failure reason, or an extra note on success
	// (e.g. "A temporary password was sent by email.").
	Message string
	// Ref is an opaque reference (audit or error ID) shown for follow-up.
	Ref string
}

// ActionResult reports an action's outcome: "✅ Disabled *alice* in *prod*" or
// "❌ Could not disable *alice*: reason", with who did it and when.
func ActionResult(r ResultView) Message {
	w := WordsFor(r.Words, r.Action)
	name := EscTrunc(OrDash(r.Username), 300)
	pool := ""
	if r.Pool != "" {
		pool = EscTrunc(r.Pool, 100)
	}
	// text is the plain fallback, line the formatted version.
	text := "Could not " + Escape(w.Verb) + " " + name
	line := "❌ Could not " + Escape(w.Verb) + " *" + name + "*"
	if r.OK {
		text = Escape(Capitalize(w.Done)) + " " + name
		line = "✅ " + Escape(Capitalize(w.Done)) + " *" + name + "*"
	}
	if pool != "" {
		text += " in " + pool
		line += " in *" + pool + "*"
	}
	switch {
	case r.Message != "" && r.OK:
		line += "\n" + EscTrunc(r.Message, 1500)
	case r.Message != "":
		line += ": " + EscTrunc(r.Message, 1500)
	}
	ctx := "by " + r.By.Mention()
	if !r.At.IsZero() {
		ctx += " · " + DateToken(r.At)
	}
	if r.Ref != "" {
		ctx += " · ref " + CodeSpan(EscTrunc(r.Ref, 100))
	}
	return Message{
		Text:   FallbackText(text),
		Blocks: []slack.Block{SectionBlock(line), ContextBlock(ctx)},
	}
}

// Notice is a one-sentence reply such as an error or a denial. text is user-
// or service-supplied and is escaped here.
func Notice(text string) Message {
	t := EscTrunc(OrDash(text), maxTextLen)
	return Message{Text: FallbackText(t), Blocks: []slack.Block{SectionBlock(t)}}
}

// TrustedNotice is Notice for mrkdwn the bot itself built (mentions from
// Slack IDs, date tokens, already-escaped parts). It is not escaped again.
func TrustedNotice(mrkdwn string) Message {
	t := truncateMrkdwn(OrDash(mrkdwn), maxTextLen)
	return Message{Text: FallbackText(t), Blocks: []slack.Block{SectionBlock(t)}}
}
