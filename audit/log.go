package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Log is the append-only audit log. Entries are only ever created with a conditional put
// and, for two-phase entries, finished once; nothing in this package deletes or rewrites
// them (only DynamoDB's TTL sweep removes them after the retention period).
type Log struct {
	api       dynamoAPI
	table     string
	retention time.Duration
	opts      options
}

// NewLog returns a Log writing to table. Entries get a TTL of retention after they are
// written; retention <= 0 keeps them forever. Use NewClient to build client.
func NewLog(client *dynamodb.Client, table string, retention time.Duration, opts ...Option) *Log {
	return newLog(client, table, retention, opts...)
}

func newLog(api dynamoAPI, table string, retention time.Duration, opts ...Option) *Log {
	return &Log{api: api, table: table, retention: retention, opts: buildOptions(opts)}
}

// Begin writes the intent to perform an allowed action, with Outcome=pending, before the
// Cognito call is made. A second Begin with the same ID (a Slack retry, another replica)
// returns ErrDuplicate and writes nothing, which tells the caller the action is already
// being handled. ErrUnavailable means the intent was not recorded: do not act.
func (l *Log) Begin(ctx context.Context, e Entry) error {
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
func (l *Log) Record(ctx context.Context, e Entry) error {
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
func (l *Log) put(ctx context.Context, e Entry) error {
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
	item, err := marshal(toEntryItem(e))
	if err != nil {
		return fmt.Errorf("%w: marshalling entry: %v", ErrInvalid, err)
	}
	_, err = l.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           aws.String(l.table),
		Item:                                item,
		ConditionExpression:                 aws.String("attribute_not_exists(pk)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureNone,
	})
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
// ErrNotFound.
func (l *Log) Finish(ctx context.Context, id string, outcome Outcome, message, cognitoRequestID string) error {
	if id == "" || (outcome != OutcomeOK && outcome != OutcomeError) {
		return fmt.Errorf("finishing audit entry %q: %w: outcome %q", id, ErrInvalid, outcome)
	}
	u := newUpdateExpr()
	u.set("outcome", string(outcome))
	u.set("finished_at", formatTime(l.opts.clock()))
	u.setIf("message", truncate(message, maxText))
	u.setIf("cognito_request_id", truncate(cognitoRequestID, maxParamValue))
	cond := "attribute_exists(pk) AND " + u.name("outcome") + " = " + u.str(string(OutcomePending))
	_, err := l.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                           aws.String(l.table),
		Key:                                 keyOf(entryKey(id)),
		UpdateExpression:                    aws.String(u.expression()),
		ConditionExpression:                 aws.String(cond),
		ExpressionAttributeNames:            u.names,
		ExpressionAttributeValues:           u.values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
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
func (l *Log) Get(ctx context.Context, id string) (Entry, error) {
	if id == "" {
		return Entry{}, fmt.Errorf("reading audit entry: %w", ErrNotFound)
	}
	out, err := l.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(l.table),
		Key:            keyOf(entryKey(id)),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Entry{}, fmt.Errorf("reading audit entry %q: %w", id, unavailable(err))
	}
	if len(out.Item) == 0 {
		return Entry{}, fmt.Errorf("reading audit entry %q: %w", id, ErrNotFound)
	}
	e, err := unmarshalEntry(out.Item)
	if err != nil {
		return Entry{}, fmt.Errorf("reading audit entry %q: %w", id, err)
	}
	return e, nil
}
