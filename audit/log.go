package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// Log is the append-only audit log in DynamoDB. Entries are only ever created with a
// conditional put and, for two-phase entries, finished once; nothing in this package
// deletes or rewrites them (only DynamoDB's TTL sweep removes them after the retention
// period). MemoryLog is the same log kept in process memory.
type Log struct {
	logCore
}

// logCore is the whole behaviour of a log, whatever table it is stored in; Log and
// MemoryLog embed it, so they share one method set and one set of rules.
type logCore struct {
	t         table.Table
	retention time.Duration
	opts      Settings
	chain     *chain.Writer
	begun     *begunIntents
}

// NewLog returns a Log writing to the table named name. Entries get a TTL of
// retention after they are written; retention <= 0 keeps them forever. Use
// NewClient to build api (a *dynamodb.Client; tests pass a fake).
func NewLog(api table.API, name string, retention time.Duration, opts ...Option) *Log {
	return &Log{newLogCore(table.Dynamo{API: api, Name: name}, retention, opts)}
}

func newLogCore(t table.Table, retention time.Duration, opts []Option) logCore {
	o := SettingsOf(opts)
	return logCore{t: t, retention: retention, opts: o, chain: &chain.Writer{Table: t, Clock: o.Clock}, begun: &begunIntents{}}
}

// Begin writes the intent to perform an allowed action, with Outcome=pending, before the
// Cognito call is made. A second Begin with the same ID (a Slack retry, another replica)
// returns ErrDuplicate and writes nothing, which tells the caller the action is already
// being handled. ErrUnavailable means the intent was not recorded: do not act. The
// entry is listed by OpenIntents until Finish records its outcome.
func (l *logCore) Begin(ctx context.Context, e Entry) error {
	if e.Decision == "" {
		e.Decision = Allowed
	}
	if e.Decision != Allowed {
		return fmt.Errorf("%w: Begin is for allowed actions; record denials with Record", ErrInvalid)
	}
	e.Outcome = OutcomePending
	if err := l.put(ctx, e, chain.KindIntent); err != nil {
		return fmt.Errorf("beginning audit entry %q: %w", e.ID, err)
	}
	return nil
}

// Record writes a single-phase entry whose outcome is already known: a denial, a read, a
// validation failure. Like Begin it is idempotent by ID and returns ErrDuplicate on a
// repeat. An allowed entry needs a final outcome (ok or error).
func (l *logCore) Record(ctx context.Context, e Entry) error {
	switch {
	case e.Decision != Allowed && e.Decision != Denied:
		return fmt.Errorf("%w: decision %q", ErrInvalid, e.Decision)
	case e.Outcome == OutcomePending:
		return fmt.Errorf("%w: Record needs a final outcome; use Begin for intents", ErrInvalid)
	case e.Decision == Allowed && e.Outcome != OutcomeOK && e.Outcome != OutcomeError:
		return fmt.Errorf("%w: outcome %q", ErrInvalid, e.Outcome)
	case e.Outcome != "" && e.Outcome != OutcomeOK && e.Outcome != OutcomeError:
		return fmt.Errorf("%w: outcome %q", ErrInvalid, e.Outcome)
	}
	if err := l.put(ctx, e, chain.KindRecord); err != nil {
		return fmt.Errorf("recording audit entry %q: %w", e.ID, err)
	}
	return nil
}

// put stamps, sanitizes and appends e to its chain; kind says whether it is an
// intent (Begin) or a complete record (Record).
func (l *logCore) put(ctx context.Context, e Entry, kind string) error {
	if e.ID == "" || e.Action == "" {
		return fmt.Errorf("%w: entry needs an ID and an Action", ErrInvalid)
	}
	now := l.opts.Clock()
	if e.Time.IsZero() {
		e.Time = now
	}
	e.Time = e.Time.UTC()
	e.ExpiresAt = time.Time{}
	if l.retention > 0 {
		e.ExpiresAt = now.Add(l.retention).Truncate(time.Second)
	}
	e.FinishedAt = time.Time{}
	base := toEntryItem(e)
	base.IntentUsername, base.IntentSub = base.TargetUsername, base.TargetSub
	shard, written := chain.ShardOf(e.ID), ""
	reasons, err := l.chain.Append(ctx, shard, func(at chain.Link) (string, time.Time, string, []table.TxOp, error) {
		it := base
		it.Attrs = at.Attrs(kind)
		it.ChainHash = chain.EntryHash(it)
		written = it.ChainHash // the last one built is the one written
		av, err := table.Marshal(it)
		if err != nil {
			return "", time.Time{}, "", nil, fmt.Errorf("%w: marshalling entry: %v", ErrInvalid, err)
		}
		return it.ChainHash, e.ExpiresAt, e.ID, []table.TxOp{table.TxCreate(av)}, nil
	})
	switch {
	case err != nil:
		return err
	case reasons != nil:
		return Duplicate(table.ConditionLost(reasons[0].Item))
	}
	if kind == chain.KindIntent {
		l.begun.remember(e.ID, begunIntent{shard: shard, hash: written, pool: e.Target.Pool})
	}
	return nil
}

// Finish records the outcome of an entry written by Begin. It succeeds only once: the
// update is conditional on the entry existing with outcome pending, so a repeat returns
// ErrAlreadyFinished and leaves the first outcome untouched, and an unknown id returns
// ErrNotFound. The entry leaves OpenIntents in the same write.
func (l *logCore) Finish(ctx context.Context, id string, outcome Outcome, message, cognitoRequestID string) error {
	return l.finish(ctx, id, outcome, message, cognitoRequestID, nil)
}

// FinishResolved is Finish for an entry whose target was only a query when it began
// (a lookup by email, phone or sub): it also records the user the query resolved to,
// username and sub, so that user's history lists the entry. The target's pool stays
// the one the entry began with.
func (l *logCore) FinishResolved(ctx context.Context, id string, outcome Outcome, message, cognitoRequestID string, resolved Target) error {
	return l.finish(ctx, id, outcome, message, cognitoRequestID, &resolved)
}

func (l *logCore) finish(ctx context.Context, id string, outcome Outcome, message, cognitoRequestID string, resolved *Target) error {
	if id == "" || (outcome != OutcomeOK && outcome != OutcomeError) {
		return fmt.Errorf("finishing audit entry %q: %w: outcome %q", id, ErrInvalid, outcome)
	}
	now := l.opts.Clock()
	out := chain.OutcomeItem{
		PK: chain.OutcomeKey(id), ID: id, Outcome: string(outcome), Message: Truncate(message, MaxText),
		CognitoRequestID: Truncate(cognitoRequestID, MaxParamValue), FinishedAt: table.FormatTime(now),
	}
	var c table.Change
	if resolved != nil && resolved.Username != "" {
		out.ResolvedUsername, out.ResolvedSub = resolved.Username, resolved.Sub
		c.Set("target_username", resolved.Username)
		c.SetIf("target_sub", resolved.Sub)
	}
	c.Require("outcome", table.OpEqual, string(OutcomePending))
	c.Set("outcome", out.Outcome)
	c.Set("finished_at", out.FinishedAt)
	c.SetIf("message", out.Message)
	c.SetIf("cognito_request_id", out.CognitoRequestID)
	c.Remove(table.AttrOpenPK)
	c.Remove(table.AttrOpenSK)

	// The outcome joins the intent's chain, in the same transaction as the entry's
	// update: the log never holds an outcome its chain does not. Its link names the
	// intent's hash and chain, which this handle remembers when it wrote the intent;
	// otherwise they are read. Either way the transaction is conditional on the
	// entry still being pending.
	in, known := l.begun.lookup(id)
	if !known {
		cur, err := l.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("finishing audit entry: %w", err)
		}
		if cur.Outcome != OutcomePending {
			return fmt.Errorf("finishing audit entry %q: %w", id, ErrAlreadyFinished)
		}
		if cur.Chain.Hash == "" {
			return l.finishUnchained(ctx, id, withResolvedKey(c, cur.Target.Pool, out.ResolvedUsername))
		}
		in = begunIntent{shard: cur.Chain.Shard, hash: cur.Chain.Hash, pool: cur.Target.Pool}
	}
	c = withResolvedKey(c, in.pool, out.ResolvedUsername)
	out.EntryHash = in.hash
	if l.retention > 0 {
		out.TTL = now.Add(l.retention).Truncate(time.Second)
	}
	reasons, err := l.chain.Append(ctx, in.shard, func(at chain.Link) (string, time.Time, string, []table.TxOp, error) {
		o := out
		o.Attrs = at.Attrs(chain.KindOutcome)
		o.ChainHash = chain.OutcomeHash(o)
		av, err := table.Marshal(o)
		if err != nil {
			return "", time.Time{}, "", nil, fmt.Errorf("%w: marshalling outcome: %v", ErrInvalid, err)
		}
		return o.ChainHash, o.TTL, id, []table.TxOp{table.TxCreate(av), table.TxUpdate(table.EntryKey(id), c)}, nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("finishing audit entry %q: %w", id, err)
	case reasons != nil:
		l.begun.forget(id)
		return fmt.Errorf("finishing audit entry %q: %w: %w", id, ErrAlreadyFinished, table.ConditionLost(reasons[len(reasons)-1].Item))
	}
	l.begun.forget(id)
	return nil
}

// withResolvedKey adds to c the history key of the user a query resolved to
// (username, "" when none), in the entry's own pool, so it is the key verify expects.
func withResolvedKey(c table.Change, pool, username string) table.Change {
	if username != "" {
		c.Set(table.AttrTargetPK, table.TargetKey(pool, username))
	}
	return c
}

// finishUnchained finishes an intent begun before the chain existed (by a replica
// of an older version, during an upgrade) the way it was always finished: one
// conditional update, with nothing to chain it to.
func (l *logCore) finishUnchained(ctx context.Context, id string, c table.Change) error {
	_, err := l.t.Update(ctx, table.EntryKey(id), c)
	if table.ConditionFailed(err) != nil {
		return fmt.Errorf("finishing audit entry %q: %w: %w", id, ErrAlreadyFinished, err)
	}
	if err != nil {
		return fmt.Errorf("finishing audit entry %q: %w", id, table.Unavailable(err))
	}
	return nil
}

// Get reads one entry with a strongly consistent read, so an entry just written by Begin
// is always visible. A missing entry returns ErrNotFound.
func (l *logCore) Get(ctx context.Context, id string) (Entry, error) {
	if id == "" {
		return Entry{}, fmt.Errorf("reading audit entry: %w", ErrNotFound)
	}
	it, err := l.t.Get(ctx, table.EntryKey(id))
	if err != nil {
		return Entry{}, fmt.Errorf("reading audit entry %q: %w", id, table.Unavailable(err))
	}
	if it == nil {
		return Entry{}, fmt.Errorf("reading audit entry %q: %w", id, ErrNotFound)
	}
	e, err := unmarshalEntry(it)
	if err != nil {
		return Entry{}, fmt.Errorf("reading audit entry %q: %w", id, err)
	}
	return e, nil
}
