package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
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
	t         table
	retention time.Duration
	opts      options
	chain     *chainWriter
}

// NewLog returns a Log writing to table. Entries get a TTL of retention after they are
// written; retention <= 0 keeps them forever. Use NewClient to build client.
func NewLog(client *dynamodb.Client, table string, retention time.Duration, opts ...Option) *Log {
	return newLog(client, table, retention, opts...)
}

func newLog(api dynamoAPI, table string, retention time.Duration, opts ...Option) *Log {
	return &Log{newLogCore(dynamoTable{api: api, name: table}, retention, opts)}
}

func newLogCore(t table, retention time.Duration, opts []Option) logCore {
	o := buildOptions(opts)
	return logCore{t: t, retention: retention, opts: o, chain: &chainWriter{t: t, clock: o.clock}}
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
	if err := l.put(ctx, e, kindIntent); err != nil {
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
	if err := l.put(ctx, e, kindRecord); err != nil {
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
	now := l.opts.clock()
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
	reasons, err := l.chain.appendLink(ctx, shardOf(e.ID), func(at link) (string, time.Time, string, []txOp, error) {
		it := base
		it.chainAttrs = at.attrs(kind)
		it.ChainHash = entryHash(it)
		av, err := marshal(it)
		if err != nil {
			return "", time.Time{}, "", nil, fmt.Errorf("%w: marshalling entry: %v", ErrInvalid, err)
		}
		return it.ChainHash, e.ExpiresAt, e.ID, []txOp{txCreate(av)}, nil
	})
	switch {
	case err != nil:
		return err
	case reasons != nil:
		return duplicate(conditionLost(reasons[0].Item))
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
	now := l.opts.clock()
	out := outcomeItem{
		PK: outcomeKey(id), ID: id, Outcome: string(outcome), Message: truncate(message, maxText),
		CognitoRequestID: truncate(cognitoRequestID, maxParamValue), FinishedAt: formatTime(now),
	}
	var c change
	if resolved != nil && resolved.Username != "" {
		out.ResolvedUsername, out.ResolvedSub = resolved.Username, resolved.Sub
		c.set("target_username", resolved.Username)
		c.setIf("target_sub", resolved.Sub)
	}
	c.require("outcome", opEqual, string(OutcomePending))
	c.set("outcome", out.Outcome)
	c.set("finished_at", out.FinishedAt)
	c.setIf("message", out.Message)
	c.setIf("cognito_request_id", out.CognitoRequestID)
	c.remove(attrOpenPK)
	c.remove(attrOpenSK)

	// The outcome joins the intent's chain, in the same transaction as the entry's
	// update: the log never holds an outcome its chain does not.
	cur, err := l.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("finishing audit entry: %w", err)
	}
	if cur.Outcome != OutcomePending {
		return fmt.Errorf("finishing audit entry %q: %w", id, ErrAlreadyFinished)
	}
	if out.ResolvedUsername != "" {
		// The pool stays the entry's, so its history key is what verify expects.
		c.set(attrTargetPK, targetKey(cur.Target.Pool, out.ResolvedUsername))
	}
	if cur.Chain.Hash == "" {
		return l.finishUnchained(ctx, id, c)
	}
	out.EntryHash = cur.Chain.Hash
	if l.retention > 0 {
		out.TTL = now.Add(l.retention).Truncate(time.Second)
	}
	reasons, err := l.chain.appendLink(ctx, cur.Chain.Shard, func(at link) (string, time.Time, string, []txOp, error) {
		o := out
		o.chainAttrs = at.attrs(kindOutcome)
		o.ChainHash = outcomeHash(o)
		av, err := marshal(o)
		if err != nil {
			return "", time.Time{}, "", nil, fmt.Errorf("%w: marshalling outcome: %v", ErrInvalid, err)
		}
		return o.ChainHash, o.TTL, id, []txOp{txCreate(av), txUpdate(entryKey(id), c)}, nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("finishing audit entry %q: %w", id, err)
	case reasons != nil:
		return fmt.Errorf("finishing audit entry %q: %w: %w", id, ErrAlreadyFinished, conditionLost(reasons[len(reasons)-1].Item))
	}
	return nil
}

// finishUnchained finishes an intent begun before the chain existed (by a replica
// of an older version, during an upgrade) the way it was always finished: one
// conditional update, with nothing to chain it to.
func (l *logCore) finishUnchained(ctx context.Context, id string, c change) error {
	_, err := l.t.update(ctx, entryKey(id), c)
	if conditionFailed(err) != nil {
		return fmt.Errorf("finishing audit entry %q: %w: %w", id, ErrAlreadyFinished, err)
	}
	if err != nil {
		return fmt.Errorf("finishing audit entry %q: %w", id, unavailable(err))
	}
	return nil
}

// Get reads one entry with a strongly consistent read, so an entry just written by Begin
// is always visible. A missing entry returns ErrNotFound.
func (l *logCore) Get(ctx context.Context, id string) (Entry, error) {
	if id == "" {
		return Entry{}, fmt.Errorf("reading audit entry: %w", ErrNotFound)
	}
	it, err := l.t.get(ctx, entryKey(id))
	if err != nil {
		return Entry{}, fmt.Errorf("reading audit entry %q: %w", id, unavailable(err))
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
