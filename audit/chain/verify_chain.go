package chain

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// verifier carries one Verify run.
type verifier struct {
	t    table.Table
	opts VerifyOptions
	now  time.Time
	rep  VerifyReport
}

func (v *verifier) report(b Break) {
	v.rep.Breaks++
	if v.opts.OnBreak != nil {
		v.opts.OnBreak(b)
	}
}

// seen is the last link a chain walk passed.
type seen struct {
	seq  uint64
	hash string
	id   string
	time time.Time
}

// chain walks one chain; h is its head as read before the walk.
func (v *verifier) chain(ctx context.Context, h Head) error {
	after := ""
	if !v.opts.Since.IsZero() {
		after = table.FormatTime(v.opts.Since)
	}
	w := NewWalk(v.t, h.Shard, false, after, table.FormatTime(v.opts.Until))
	var prev *seen
	for {
		page, err := w.Page(ctx)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		outcomes, err := v.outcomesFor(ctx, page)
		if err != nil {
			return err
		}
		for _, it := range page {
			cur, err := v.link(ctx, it, outcomes)
			if err != nil {
				return err
			}
			if err := v.follows(ctx, h.Shard, prev, cur, table.StringAttr(it, AttrChainPrev), table.StringAttr(it, attrChainPrevExpires), table.StringAttr(it, attrChainPrevID)); err != nil {
				return err
			}
			prev = &cur
		}
	}
	return v.tip(ctx, h, prev)
}

// follows checks that cur comes right after prev in its chain. A predecessor
// the index does not show yet but the table holds, unchanged and linked, is
// not missing (notYetIndexed).
func (v *verifier) follows(ctx context.Context, shard int, prev *seen, cur seen, curPrev, prevExpires, prevID string) error {
	if prev == nil {
		if v.opts.Since.IsZero() && cur.seq != 1 && !v.expired(prevExpires) {
			if ok, err := v.notYetIndexed(ctx, shard, prevID, cur.seq-1, curPrev, nil); ok || err != nil {
				return err
			}
			v.report(Break{ID: cur.id, Time: cur.time, Kind: BreakMissingPredecessor,
				Detail: fmt.Sprintf("it is position %d of chain %d, and the link before it (entry %q) is gone", cur.seq, shard, prevID)})
		}
		return nil
	}
	switch {
	case cur.seq <= prev.seq:
		v.report(Break{ID: cur.id, Time: cur.time, Kind: BreakOutOfOrder,
			Detail: fmt.Sprintf("it claims position %d of chain %d but comes after position %d", cur.seq, shard, prev.seq)})
	case cur.seq > prev.seq+1:
		if v.expired(prevExpires) {
			return nil
		}
		if ok, err := v.notYetIndexed(ctx, shard, prevID, cur.seq-1, curPrev, prev); ok || err != nil {
			return err
		}
		v.report(Break{ID: cur.id, Time: cur.time, Kind: BreakMissingPredecessor,
			Detail: fmt.Sprintf("the link before it (position %d of chain %d, entry %q) is gone", cur.seq-1, shard, prevID)})
	case curPrev != prev.hash:
		v.report(Break{ID: prev.id, Time: prev.time, Kind: BreakChanged,
			Detail: fmt.Sprintf("its stored hash was rewritten: the next link of chain %d recorded another", shard)})
	}
	return nil
}

// tip checks that the chain ends where its head, read before the walk, said.
// Links the index does not show yet but the table holds are not gone
// (notYetIndexed): an honest log being written verifies clean.
func (v *verifier) tip(ctx context.Context, h Head, last *seen) error {
	if !h.Exists {
		// A chain with links always has a head: it was written with the first.
		if last != nil {
			v.report(Break{ID: last.id, Time: last.time, Kind: BreakChanged,
				Detail: fmt.Sprintf("chain %d has links but no head: the head item was deleted", h.Shard)})
		}
		return nil
	}
	if !h.at.Before(v.opts.Until) {
		return nil
	}
	switch {
	case last == nil && !v.opts.Since.IsZero() && h.at.Before(v.opts.Since):
	case last == nil || last.seq < h.seq:
		if h.Expires != "0" && v.expired(h.Expires) {
			return nil
		}
		if ok, err := v.notYetIndexed(ctx, h.Shard, h.lastID, h.seq, h.Hash, last); ok || err != nil {
			return err
		}
		v.report(Break{ID: h.lastID, Time: h.at, Kind: BreakMissingPredecessor,
			Detail: fmt.Sprintf("chain %d ends at position %d, but its last link is gone", h.Shard, h.seq)})
	}
	return nil
}

// expired reports whether a predecessor expiring at epoch seconds s may have been
// removed by retention.
func (v *verifier) expired(s string) bool {
	secs, err := strconv.ParseInt(s, 10, 64)
	return err == nil && secs > 0 && secs < v.now.Unix()
}

// link checks one link's hash and content and returns what the next link needs.
func (v *verifier) link(ctx context.Context, it table.Item, outcomes map[string]table.Item) (seen, error) {
	v.rep.Links++
	var c Attrs
	if err := attributevalue.UnmarshalMap(it, &c); err != nil {
		return seen{}, fmt.Errorf("decoding a link: %w", err)
	}
	_, seq, _ := ParseSortKey(c.ChainSK)
	if c.ChainKind == KindOutcome {
		v.rep.Outcomes++
		var o OutcomeItem
		if err := attributevalue.UnmarshalMap(it, &o); err != nil {
			return seen{}, fmt.Errorf("decoding an outcome: %w", err)
		}
		s := seen{seq: seq, hash: c.ChainHash, id: o.ID, time: table.ParseTime(o.FinishedAt)}
		if OutcomeHash(o) != c.ChainHash {
			v.report(Break{ID: o.ID, Time: s.time, Kind: BreakChanged, Detail: "its outcome no longer matches the hash its link recorded"})
		}
		return s, nil
	}
	v.rep.Entries++
	var e EntryItem
	if err := attributevalue.UnmarshalMap(it, &e); err != nil {
		return seen{}, fmt.Errorf("decoding an entry: %w", err)
	}
	s := seen{seq: seq, hash: c.ChainHash, id: e.ID, time: table.ParseTime(e.Time)}
	switch {
	case c.ChainKind != KindIntent && c.ChainKind != KindRecord:
		v.report(Break{ID: e.ID, Time: s.time, Kind: BreakChanged, Detail: fmt.Sprintf("its link has an unknown kind %q", c.ChainKind)})
		return s, nil
	case EntryHash(e) != c.ChainHash:
		v.report(Break{ID: e.ID, Time: s.time, Kind: BreakChanged, Detail: "its content no longer matches the hash its link recorded"})
		return s, nil
	}
	if c.ChainKind == KindIntent {
		if err := v.outcome(ctx, e, outcomes[OutcomeKey(e.ID)]); err != nil {
			return s, err
		}
	}
	problem := indexKeyMismatch(e)
	if c.ChainKind == KindRecord {
		problem = cmp.Or(recordTargetMismatch(e), problem)
	}
	if problem != "" {
		v.report(Break{ID: e.ID, Time: s.time, Kind: BreakChanged, Detail: problem})
	}
	if e.Action == AnchorAction && c.ChainKind == KindRecord {
		if err := v.anchor(ctx, e); err != nil {
			return s, err
		}
	}
	return s, nil
}

// outcomesFor reads the outcome links of the intents on a page, in one batch.
func (v *verifier) outcomesFor(ctx context.Context, page []table.Item) (map[string]table.Item, error) {
	var pks []string
	for _, it := range page {
		if table.StringAttr(it, AttrChainKind) == KindIntent {
			pks = append(pks, OutcomeKey(table.StringAttr(it, "id")))
		}
	}
	got, err := v.t.BatchGet(ctx, pks)
	if err != nil {
		return nil, table.Unavailable(err)
	}
	return got, nil
}
