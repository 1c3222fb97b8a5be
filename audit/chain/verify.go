package chain

import (
	"context"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// BreakKind says what is wrong at a break in the chain.
type BreakKind string

// Break kinds.
const (
	// BreakChanged: the record no longer matches its hash, or what the chain holds
	// about it (its outcome, an anchor's record of it).
	BreakChanged BreakKind = "changed"
	// BreakMissingPredecessor: the link before this one is gone (deleted before its
	// retention ended), or the chain's last links are.
	BreakMissingPredecessor BreakKind = "missing predecessor"
	// BreakOutOfOrder: the link sits where its chain position says it cannot.
	BreakOutOfOrder BreakKind = "out of order"
	// BreakNotChained: an entry dated after the chain began carries no link (written
	// into the table directly, or stripped of its link).
	BreakNotChained BreakKind = "not in the chain"
)

// Break is one place where the log is not what the bot wrote.
type Break struct {
	// ID is the entry's id (for an outcome link, the id of the entry it finishes).
	ID string
	// Time is the entry's time (for an outcome, when it was recorded).
	Time time.Time
	Kind BreakKind
	// Detail says what was found, in words for people.
	Detail string
}

// String is the break as `audit verify` prints it: id, time, kind and detail.
func (b Break) String() string {
	return fmt.Sprintf("%s  %s  %s: %s", b.ID, table.FormatTime(b.Time), b.Kind, b.Detail)
}

// VerifyOptions bound and report a verification.
type VerifyOptions struct {
	// Since skips links older than this (zero: the whole log). The first link found
	// in each chain is then taken on trust as the start.
	Since time.Time
	// Until skips links at or after this (zero: the log's clock at the start), so
	// entries written while the check runs, or not yet in the index, are left for
	// the next check.
	Until time.Time
	// OnBreak is called for each break as it is found (nil: only counted).
	OnBreak func(Break)
	// OnAnchor is called for each anchor checked, with whether its heads matched.
	OnAnchor func(a Anchor, ok bool)
}

// VerifyReport sums up a verification. The chain is intact when Breaks is 0.
type VerifyReport struct {
	// Links is how many links were checked: Entries plus Outcomes.
	Links, Entries, Outcomes int64
	// Anchors is how many anchors were checked.
	Anchors int64
	// Breaks is how many breaks were found.
	Breaks int64
	// BeforeChain counts the entries written before the chain existed, which
	// cannot be checked; BeforeFirst and BeforeLast are the oldest and newest.
	BeforeChain             int64
	BeforeFirst, BeforeLast time.Time
	// ChainStarted is when the first chain began (zero: no chain yet).
	ChainStarted time.Time
}

// Intact reports whether no break was found.
func (r VerifyReport) Intact() bool { return r.Breaks == 0 }

// rolloutGrace is how long after the chain began an unchained entry still counts
// as "before the chain": replicas of an older version may still be writing while
// a rolling upgrade completes.
const rolloutGrace = time.Hour

// Verify reads every chain in order (a page at a time, so memory stays the same
// however long the log) and checks each link's hash, that each link follows its
// predecessor, that each intent's outcome is the one its outcome link holds, that
// every anchor found still matches the chains, and that the chains end where their
// heads say. Then it scans the table for entries without a link: those older than
// the chain are counted as before the chain, later ones are breaks. It returns an
// error only when the log cannot be read; breaks are reported, not errors.
func Verify(ctx context.Context, t table.Table, now time.Time, opts VerifyOptions) (VerifyReport, error) {
	v := &verifier{t: t, opts: opts, now: now}
	if v.opts.Until.IsZero() {
		v.opts.Until = v.now
	}
	hs, err := ReadHeads(ctx, t)
	if err != nil {
		return v.rep, fmt.Errorf("verifying the audit chain: %w", err)
	}
	for _, h := range hs {
		if started, _, ok := ParseSortKey(h.started); ok && (v.rep.ChainStarted.IsZero() || started.Before(v.rep.ChainStarted)) {
			v.rep.ChainStarted = started
		}
	}
	for shard := range ChainShards {
		if err := v.chain(ctx, hs[shard]); err != nil {
			return v.rep, fmt.Errorf("verifying audit chain %d: %w", shard, err)
		}
	}
	if err := v.unchained(ctx); err != nil {
		return v.rep, fmt.Errorf("verifying the audit chain: %w", err)
	}
	return v.rep, nil
}

// ReadHeads reads every chain's head.
func ReadHeads(ctx context.Context, t table.Table) ([]Head, error) {
	pks := make([]string, ChainShards)
	for i := range pks {
		pks[i] = HeadKey(i)
	}
	got, err := t.BatchGet(ctx, pks)
	if err != nil {
		return nil, table.Unavailable(err)
	}
	hs := make([]Head, ChainShards)
	for i, pk := range pks {
		hs[i] = HeadFromItem(i, got[pk])
	}
	return hs, nil
}
