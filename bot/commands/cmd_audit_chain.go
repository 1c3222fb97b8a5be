package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/auditview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Audit verify in Slack checks a bounded window by default, so it answers within
// an interaction's time; the command line checks the whole log.
const (
	defaultVerifySince = 24 * time.Hour
	// verifySettle leaves the newest links (not yet in DynamoDB's index) to the
	// next check rather than reporting them missing.
	verifySettle = 10 * time.Second
	// maxVerifyBreaksShown is how many breaks the Slack answer lists.
	maxVerifyBreaksShown = 15
)

// parseAuditVerify parses `audit verify [--since DURATION]`.
func parseAuditVerify(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	f, err := desk.ParseFlags(args, []string{"since"}, nil)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	if len(f.Pos) > 0 {
		return usercmd.Invocation{}, desk.Usagef("`audit verify` takes only `--since`, e.g. `audit verify --since 7d`.")
	}
	window := defaultVerifySince
	if s, ok := f.Values["since"]; ok {
		d, err := config.ParseDuration(s)
		if err != nil || d <= 0 {
			return usercmd.Invocation{}, desk.Usagef("`--since` takes a duration such as `24h` or `7d`.")
		}
		window = d.Std()
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error { return b.auditVerify(ctx, req, window) }}, nil
}

// auditVerify checks the chain over the window as an audited step and shows the answer.
func (b *Commands) auditVerify(ctx context.Context, req *transport.Request, window time.Duration) error {
	now := b.Now()
	v := auditview.AuditVerifyView{Since: now.Add(-window)}
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditid.ForRequest(auditid.AuditVerify, req.Ref, window.String()), Action: actions.Audit,
		Params: map[string]string{"subject": "audit chain", "since": window.String()},
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			rep, err := s.Log.Verify(ctx, chain.VerifyOptions{
				Since: v.Since, Until: now.Add(-verifySettle),
				OnBreak: func(br chain.Break) {
					if len(v.Breaks) < maxVerifyBreaksShown {
						v.Breaks = append(v.Breaks, auditview.AuditBreakView{ID: br.ID, Time: br.Time, Kind: string(br.Kind), Detail: br.Detail})
					}
				},
				OnAnchor: func(a chain.Anchor, ok bool) {
					v.Anchors = append(v.Anchors[max(0, len(v.Anchors)-2):], auditview.AuditAnchorView{ID: a.ID, Time: a.Time, Digest: a.Digest, OK: ok})
				},
			})
			if err != nil {
				return pipeline.Result{}, fmt.Errorf("verifying the audit log: %w: %w", desk.ErrStateUnavailable, err)
			}
			v.Links, v.Entries, v.Outcomes, v.Breaks0 = rep.Links, rep.Entries, rep.Outcomes, rep.Breaks
			v.BeforeChain, v.BeforeFirst, v.BeforeLast = rep.BeforeChain, rep.BeforeFirst, rep.BeforeLast
			summary := "intact"
			if !rep.Intact() {
				summary = fmt.Sprintf("%d breaks", rep.Breaks)
			}
			return pipeline.Result{Summary: fmt.Sprintf("%d links checked: %s", rep.Links, summary)}, nil
		},
	})
	if !ok {
		return nil
	}
	if out.Err != nil {
		return out.Err
	}
	b.Reply(ctx, req, auditview.AuditVerifyResult(v), desk.ReplyEphemeral)
	return nil
}

// auditSearch is what an `audit --reason` or `audit --ticket` listing looks for.
type auditSearch struct {
	// Ticket, when set, is the ticket id searched; else Text is the reason text.
	Text   string `json:"text,omitempty"`
	Ticket string `json:"ticket,omitempty"`
	Limit  int    `json:"limit"`
	Cursor string `json:"cursor,omitempty"`
}

// auditSearches are the sessions behind a search's "More" button.
var auditSearches = desk.NewSessionKind[auditSearch]("audit-search")

// searchInvocation answers `audit --reason TEXT` or `audit --ticket ID`.
func (b *Commands) searchInvocation(req *transport.Request, f desk.Flags, limit int) (usercmd.Invocation, error) {
	text, byReason := f.Values["reason"]
	ticket, byTicket := f.Values["ticket"]
	switch {
	case len(f.Pos) > 0 || f.Values["actor"] != "" || (byReason && byTicket):
		return usercmd.Invocation{}, desk.Usagef("Give one of a user, `--actor`, `--reason` or `--ticket`.")
	case byReason && strings.TrimSpace(text) == "":
		return usercmd.Invocation{}, desk.Usagef("`--reason` needs some text to look for.")
	case byTicket && b.Cfg.Tickets.Regexp() == nil:
		return usercmd.Invocation{}, desk.Usagef("Ticket search needs `tickets.pattern` in the configuration; try `--reason %s`.", views.Truncate(ticket, 40))
	case byTicket && !b.Cfg.Tickets.Regexp().MatchString(ticket):
		return usercmd.Invocation{}, desk.Usagef("`%s` does not look like a ticket id (`tickets.pattern` is `%s`).", views.Truncate(ticket, 40), views.Truncate(b.Cfg.Tickets.Pattern, 60))
	}
	s := auditSearch{Text: strings.TrimSpace(text), Ticket: ticket, Limit: limit}
	return usercmd.Invocation{Run: func(ctx context.Context) error { return b.showAuditSearch(ctx, req, desk.NewSessionID(), s) }}, nil
}

// AuditSearchClick shows the next page of a search.
func (b *Commands) AuditSearchClick(ctx context.Context, req *transport.Request, id string) {
	s, ok := auditSearches.Load(ctx, b.Desk, req, id)
	if !ok {
		return
	}
	if err := b.showAuditSearch(ctx, req, id, s); err != nil {
		b.AnswerError(ctx, req, actions.Audit, err)
	}
}

// showAuditSearch runs one page of a search as an audited step, within the pools
// whose audit the viewer may read, and shows it with a "More" button while the
// log has more to search.
func (b *Commands) showAuditSearch(ctx context.Context, req *transport.Request, id string, s auditSearch) error {
	visible := b.auditablePools(ctx, req)
	match := b.searchMatch(s)
	var entries []audit.Entry
	var next string
	subject := "reason containing " + s.Text
	if s.Ticket != "" {
		subject = "ticket " + s.Ticket
	}
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditid.ForRequest(auditid.Audit, req.Ref, subject, s.Cursor), Action: actions.Audit,
		Params: map[string]string{"subject": subject},
		Op: func(ctx context.Context, d pipeline.Services) (pipeline.Result, error) {
			var err error
			entries, next, err = d.Log.Search(ctx, func(e audit.Entry) bool {
				return (e.Target.Pool == "" || visible == nil || visible[e.Target.Pool]) && match(e)
			}, s.Limit, s.Cursor)
			if err != nil {
				return pipeline.Result{}, fmt.Errorf("searching the audit log: %w: %w", desk.ErrStateUnavailable, err)
			}
			return pipeline.Result{Summary: fmt.Sprintf("%d entries shown", len(entries))}, nil
		},
	})
	if !ok {
		return nil
	}
	if out.Err != nil {
		return out.Err
	}
	more := ""
	if next != "" {
		s.Cursor = next
		if err := auditSearches.Save(ctx, b.Desk, req, id, s); err != nil {
			return err
		}
		more = id
	}
	rows := make([]auditview.AuditEntryView, len(entries))
	for i, e := range entries {
		rows[i] = b.auditRow(e)
	}
	b.Reply(ctx, req, auditview.AuditSearchResults(subject, rows, more), desk.ReplyEphemeral)
	return nil
}

// searchMatch is the test a search applies to each entry: the reason contains the
// text (case-insensitive), or names the ticket among its ticket ids.
func (b *Commands) searchMatch(s auditSearch) func(audit.Entry) bool {
	if s.Ticket != "" {
		re := b.Cfg.Tickets.Regexp()
		return func(e audit.Entry) bool {
			for _, id := range re.FindAllString(e.Reason, -1) {
				if strings.EqualFold(id, s.Ticket) {
					return true
				}
			}
			return false
		}
	}
	text := strings.ToLower(s.Text)
	return func(e audit.Entry) bool { return strings.Contains(strings.ToLower(e.Reason), text) }
}

// auditRow is one entry as the audit views show it.
func (b *Commands) auditRow(e audit.Entry) auditview.AuditEntryView {
	return auditview.AuditEntryView{Time: e.Time, Actor: desk.ToActorView(e.Actor), Action: e.Action, Target: e.Target.Username,
		Pool: e.Target.Pool, Decision: string(e.Decision), Outcome: string(e.Outcome), Message: e.Message,
		Reason: e.Reason, DenyReason: e.DenyReason, Tickets: b.Tickets()}
}
