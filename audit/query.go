package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// ByTarget lists the entries about one Cognito user, newest first, at most limit per page
// (default 20, at most 100). Pass the returned cursor to get the next page; "" means
// there are no more. The listing comes from a global secondary index, which in AWS is
// eventually consistent: an entry written a moment ago may not be listed yet.
func (l *logCore) ByTarget(ctx context.Context, pool, username string, limit int, cursor string) ([]Entry, string, error) {
	if username == "" {
		return nil, "", fmt.Errorf("listing audit entries by target: %w: empty username", ErrInvalid)
	}
	es, next, err := l.list(ctx, table.IndexByTarget, table.AttrTargetPK, table.AttrTargetSK, table.TargetKey(pool, username), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing audit entries by target: %w", err)
	}
	return es, next, nil
}

// ByActor lists the entries made by one Slack user (team ID plus user ID), newest first,
// with the same paging and consistency as ByTarget.
func (l *logCore) ByActor(ctx context.Context, teamID, userID string, limit int, cursor string) ([]Entry, string, error) {
	if teamID == "" || userID == "" {
		return nil, "", fmt.Errorf("listing audit entries by actor: %w: empty team or user id", ErrInvalid)
	}
	es, next, err := l.list(ctx, table.IndexByActor, table.AttrActorPK, table.AttrActorSK, table.ActorKey(teamID, userID), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing audit entries by actor: %w", err)
	}
	return es, next, nil
}

// OpenIntents lists up to limit (default 20, at most 100) entries written by Begin that
// have no outcome yet and were due before dueBefore — by their Deadline, or their start
// when they have none — earliest first. Every audited action is meant to end with
// Finish; an intent still open well past its deadline means the bot stopped between
// writing it and recording the result, and someone has to find out in Cognito what
// happened. Pass a time in the past (now minus a grace) so actions still running,
// however long they are allowed to take, are not reported.
//
// The listing reads a sparse index holding only open entries (Finish removes an entry
// from it), so its cost does not grow with the log. Like ByTarget it is eventually
// consistent in AWS; entries already finished are left out.
func (l *logCore) OpenIntents(ctx context.Context, dueBefore time.Time, limit int) ([]Entry, error) {
	if dueBefore.IsZero() {
		return nil, fmt.Errorf("listing open audit intents: %w: no time", ErrInvalid)
	}
	items, _, err := l.t.Query(ctx, table.IndexQuery{
		Index: table.IndexByOpen, PKAttr: table.AttrOpenPK, SKAttr: table.AttrOpenSK, Partition: table.OpenPartition,
		// open_sk is "<due>#<id>" (due: the deadline, else the start) with a
		// fixed-width time, so it sorts below the bare time exactly when the
		// intent was due strictly before it.
		Below: table.FormatTime(dueBefore),
		Limit: table.PageSize(limit),
	})
	if err != nil {
		return nil, fmt.Errorf("listing open audit intents: %w", table.Unavailable(err))
	}
	open := make([]Entry, 0, len(items))
	for _, it := range items {
		e, err := unmarshalEntry(it)
		if err != nil {
			return nil, fmt.Errorf("listing open audit intents: %w", err)
		}
		if e.Outcome == OutcomePending {
			open = append(open, e)
		}
	}
	return open, nil
}

// list queries one index partition newest first. It asks for one item more than the
// page so it can tell whether another page exists: the cursor it returns then never
// leads to an empty page, which a raw LastEvaluatedKey can.
func (l *logCore) list(ctx context.Context, index, pkAttr, skAttr, partition string, limit int, cursor string) ([]Entry, string, error) {
	limit = table.PageSize(limit)
	start, err := table.DecodeCursor(cursor, pkAttr, skAttr, partition)
	if err != nil {
		return nil, "", err
	}
	items, last, err := l.t.Query(ctx, table.IndexQuery{
		Index: index, PKAttr: pkAttr, SKAttr: skAttr, Partition: partition,
		Descending: true, Limit: limit + 1, Start: start,
	})
	if err != nil {
		return nil, "", table.Unavailable(err)
	}
	next := ""
	switch {
	case len(items) > limit:
		items = items[:limit]
		final := items[limit-1]
		next = table.EncodeCursor(table.Item{table.AttrPK: final[table.AttrPK], pkAttr: final[pkAttr], skAttr: final[skAttr]})
	case len(last) > 0:
		// The 1 MB page cap cut the page short; continue where DynamoDB stopped.
		next = table.EncodeCursor(last)
	}
	entries := make([]Entry, 0, len(items))
	for _, it := range items {
		e, err := unmarshalEntry(it)
		if err != nil {
			return nil, "", err
		}
		entries = append(entries, e)
	}
	return entries, next, nil
}
