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
	return logCore{t: t, retention: retention, opts: buildOptions(opts)}
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
	if err := l.put(ctx, e); err != nil {
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
	if err := l.put(ctx, e); err != nil {
		return fmt.Errorf("recording audit entry %q: %w", e.ID, err)
	}
	return nil
}

// put stamps, sanitizes and conditionally writes e.
func (l *logCore) put(ctx context.Context, e Entry) error {
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
	it, err := marshal(toEntryItem(e))
	if err != nil {
		return fmt.Errorf("%w: marshalling entry: %v", ErrInvalid, err)
	}
	err = l.t.create(ctx, it)
	if conditionFailed(err) != nil {
		return duplicate(err)
	}
	if err != nil {
		return unavailable(err)
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
	var c change
	if resolved != nil && resolved.Username != "" {
		c.set("target_username", resolved.Username)
		c.setIf("target_sub", resolved.Sub)
		c.set(attrTargetPK, targetKey(resolved.Pool, resolved.Username))
	}
	c.require("outcome", opEqual, string(OutcomePending))
	c.set("outcome", string(outcome))
	c.set("finished_at", formatTime(l.opts.clock()))
	c.setIf("message", truncate(message, maxText))
	c.setIf("cognito_request_id", truncate(cognitoRequestID, maxParamValue))
	c.remove(attrOpenPK)
	c.remove(attrOpenSK)
	_, err := l.t.update(ctx, entryKey(id), c)
	if ccf := conditionFailed(err); ccf != nil {
		if len(ccf.Item) == 0 {
			// No old item: it does not exist (or the endpoint ignores ALL_OLD; a consistent
			// read settles which).
			if _, gerr := l.Get(ctx, id); gerr != nil {
				return fmt.Errorf("finishing audit entry: %w", gerr)
			}
		}
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
