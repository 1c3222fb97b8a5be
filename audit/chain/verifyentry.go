package chain

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// outcome checks that an intent shows the outcome its chain holds (none, while it is
// open). The entry came from an index that may lag the table, so a mismatch is
// confirmed with a consistent read before it is reported.
func (v *verifier) outcome(ctx context.Context, e EntryItem, link table.Item) error {
	var o *OutcomeItem
	if link != nil {
		o = new(OutcomeItem)
		if err := attributevalue.UnmarshalMap(link, o); err != nil {
			return fmt.Errorf("decoding an outcome: %w", err)
		}
	}
	problem := outcomeMismatch(e, o)
	if problem == "" {
		return nil
	}
	fresh, err := v.t.Get(ctx, table.EntryKey(e.ID))
	if err != nil {
		return table.Unavailable(err)
	}
	if fresh != nil {
		var again EntryItem
		if err := attributevalue.UnmarshalMap(fresh, &again); err == nil && again.ChainHash == e.ChainHash {
			problem = outcomeMismatch(again, o)
		}
	}
	if problem != "" {
		v.report(Break{ID: e.ID, Time: table.ParseTime(e.Time), Kind: BreakChanged, Detail: problem})
	}
	return nil
}

// outcomeMismatch says how an intent's stored outcome differs from its outcome link
// o (nil: none yet), or "" when they agree.
func outcomeMismatch(e EntryItem, o *OutcomeItem) string {
	if o == nil {
		if e.Outcome != outcomePending || e.FinishedAt != "" || e.Message != "" || e.CognitoRequestID != "" {
			return fmt.Sprintf("it shows outcome %q, which its chain does not hold", e.Outcome)
		}
		if e.TargetUsername != e.IntentUsername || e.TargetSub != e.IntentSub {
			return "its target is not the one it began with"
		}
		return ""
	}
	if e.Outcome == outcomePending {
		return fmt.Sprintf("it shows no outcome, but its chain holds %q", o.Outcome)
	}
	wantUser, wantSub := e.IntentUsername, e.IntentSub
	if o.ResolvedUsername != "" {
		wantUser, wantSub = o.ResolvedUsername, o.ResolvedSub
		if wantSub == "" {
			wantSub = e.IntentSub
		}
	}
	switch {
	case o.EntryHash != e.ChainHash:
		return "its outcome link belongs to another entry"
	case e.Outcome != o.Outcome:
		return fmt.Sprintf("it shows outcome %q, but its chain holds %q", e.Outcome, o.Outcome)
	case e.Message != o.Message || e.CognitoRequestID != o.CognitoRequestID || e.FinishedAt != o.FinishedAt:
		return "its outcome message, request id or time differs from the one its chain holds"
	case e.TargetUsername != wantUser || e.TargetSub != wantSub:
		return "its target differs from the one its chain holds"
	}
	return ""
}

// scanPageSize is how many items the scan for unchained entries reads per request.
const scanPageSize = 500

// unchained scans the table for entries that carry no link: before the chain (or
// in the rollout grace after it began) they are counted, later they are breaks.
func (v *verifier) unchained(ctx context.Context) error {
	var start table.Item
	for {
		page, last, err := v.t.Scan(ctx, table.ScanPage{Prefix: "ENTRY#", Limit: scanPageSize, Start: start})
		if err != nil {
			return table.Unavailable(err)
		}
		for _, it := range page {
			if table.StringAttr(it, table.AttrChainPK) != "" {
				continue
			}
			v.unchainedEntry(table.StringAttr(it, "id"), table.ParseTime(table.StringAttr(it, "time")))
		}
		if len(last) == 0 {
			return nil
		}
		start = last
	}
}

func (v *verifier) unchainedEntry(id string, at time.Time) {
	if (!v.opts.Since.IsZero() && at.Before(v.opts.Since)) || !at.Before(v.opts.Until) {
		return
	}
	if v.rep.ChainStarted.IsZero() || at.Before(v.rep.ChainStarted.Add(rolloutGrace)) {
		v.rep.BeforeChain++
		if v.rep.BeforeFirst.IsZero() || at.Before(v.rep.BeforeFirst) {
			v.rep.BeforeFirst = at
		}
		if at.After(v.rep.BeforeLast) {
			v.rep.BeforeLast = at
		}
		return
	}
	v.report(Break{ID: id, Time: at, Kind: BreakNotChained,
		Detail: "it carries no chain link yet is dated after the chain began: it was written into the table directly, or stripped of its link"})
}

// recordTargetMismatch says how a complete record's target differs from the one
// its hash covers (IntentUsername and IntentSub: a record is never resolved
// later), or "".
func recordTargetMismatch(e EntryItem) string {
	if e.TargetUsername != e.IntentUsername || e.TargetSub != e.IntentSub {
		return "its target is not the one it was recorded with"
	}
	return ""
}

// indexKeyMismatch says how an entry's by_target or by_actor key differs from
// the user and the person it names (its target checked against its hash or its
// outcome link, its actor covered by its hash), or "": a changed key moves an
// entry into another history or listing, or out of its own.
func indexKeyMismatch(e EntryItem) string {
	wantTarget, wantActor := "", ""
	if e.TargetUsername != "" {
		wantTarget = table.TargetKey(e.TargetPool, e.TargetUsername)
	}
	if e.ActorUserID != "" && e.ActorTeamID != "" {
		wantActor = table.ActorKey(e.ActorTeamID, e.ActorUserID)
	}
	switch {
	case e.TargetPK != wantTarget:
		return "it is filed under another user's history than the one it names"
	case e.ActorPK != wantActor:
		return "it is filed under another person's actions than the one it names"
	}
	return ""
}

// outcomePending is the stored outcome of an intent not yet finished
// (audit.OutcomePending).
const outcomePending = "pending"
