package flows

import (
	"context"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// callerFactsKey keeps, with a pending action, the masked facts its confirm
// prompt asked the agent to check with the caller; its presence means the
// Confirm needs the "The caller confirmed these" box ticked.
const callerFactsKey = "caller.facts"

// phaseVerify is the audit phase recording who verified the caller.
const phaseVerify pipeline.Phase = "caller-verified"

// withCallerFacts adds the masked facts to a pending action's params when the
// policy's decision says the caller must be verified. Only masked forms are
// ever kept or shown.
func withCallerFacts(params map[string]string, d policy.Decision, u *cognito.User) map[string]string {
	if !d.CallerCheck {
		return params
	}
	params[callerFactsKey] = strings.Join(callerFacts(u), "\n")
	return params
}

// callerFacts are what an honest caller knows, masked: the email's first
// letter and domain, the phone's last two digits, the month the account was
// created.
func callerFacts(u *cognito.User) []string {
	var facts []string
	if m := views.MaskEmail(u.Email); m != "" {
		facts = append(facts, "Email: "+m)
	}
	if m := views.MaskedPhoneFact(u.Phone); m != "" {
		facts = append(facts, "Phone: "+m)
	}
	if !u.Created.IsZero() {
		facts = append(facts, "Account created: "+u.Created.UTC().Format("January 2006"))
	}
	if len(facts) == 0 {
		facts = append(facts, "Username: "+u.Username)
	}
	return facts
}

// callerFactsOf reads back the facts a pending action's prompt shows.
func callerFactsOf(p audit.Pending) []string {
	if f := p.Params[callerFactsKey]; f != "" {
		return strings.Split(f, "\n")
	}
	return nil
}

// CallerChecked lets a Confirm through when its action needs no caller
// verification, or the box was ticked: then who verified the caller, and the
// masked facts shown, are recorded. Without the tick the click is refused
// with a sentence and the refusal audited; nothing runs.
func (b *Flows) CallerChecked(ctx context.Context, req *transport.Request, p audit.Pending) bool {
	facts := callerFactsOf(p)
	if facts == nil {
		return true
	}
	step := PendingStep(p, phaseVerify)
	step.Params["facts"] = strings.Join(facts, "; ")
	if !req.CallerVerified {
		b.Pipe.Refuse(ctx, req.Pipe(), step, "caller not verified")
		b.Reply(ctx, req, views.Notice("Nothing was done: check the facts with the caller and tick “The caller confirmed these” first, then Confirm."), desk.ReplyEphemeral)
		return false
	}
	step.AuditID = auditid.ForAttempt(step.AuditID, req.Ref)
	b.Pipe.Note(ctx, req.Pipe(), step, "caller verified by "+req.Actor.UserID)
	return true
}
