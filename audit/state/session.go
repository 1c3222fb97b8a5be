package state

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// sessionItem is a small piece of server-side state behind an opaque id, e.g. the filter
// and cursor of a paged listing, so Slack buttons carry only the id.
type sessionItem struct {
	PK        string            `dynamodbav:"pk"`
	ID        string            `dynamodbav:"id"`
	Data      map[string]string `dynamodbav:"data,omitempty"`
	ExpiresAt string            `dynamodbav:"expires_at"`
	TTL       time.Time         `dynamodbav:"ttl,unixtime"`
}

// PutSession stores data under id for ttl, replacing any previous data of that id (a
// session is updated in place as the user pages on). Sessions are not redacted: callers
// must not put secrets in them.
func (s *storeCore) PutSession(ctx context.Context, id string, data map[string]string, ttl time.Duration) error {
	if id == "" || ttl <= 0 {
		return fmt.Errorf("storing session: %w: needs an id and a positive ttl", audit.ErrInvalid)
	}
	exp := s.opts.Clock().Add(ttl)
	it, err := table.Marshal(sessionItem{
		PK:        table.SessionKey(id),
		ID:        id,
		Data:      data,
		ExpiresAt: table.FormatTime(exp),
		// Round up so DynamoDB never sweeps a session before it has expired.
		TTL: exp.Add(time.Second - time.Nanosecond).Truncate(time.Second),
	})
	if err != nil {
		return fmt.Errorf("storing session: %w: %v", audit.ErrInvalid, err)
	}
	if err := s.t.Put(ctx, it); err != nil {
		return fmt.Errorf("storing session %q: %w", id, table.Unavailable(err))
	}
	return nil
}

// GetSession returns the data stored under id. It returns ErrNotFound both for an
// unknown id and for an expired session: DynamoDB's TTL sweep is lazy and may leave an
// expired item readable for days, so expiry is checked here against the store's clock.
func (s *storeCore) GetSession(ctx context.Context, id string) (map[string]string, error) {
	if id == "" {
		return nil, fmt.Errorf("reading session: %w", audit.ErrNotFound)
	}
	stored, err := s.t.Get(ctx, table.SessionKey(id))
	if err != nil {
		return nil, fmt.Errorf("reading session %q: %w", id, table.Unavailable(err))
	}
	if stored == nil {
		return nil, fmt.Errorf("reading session %q: %w", id, audit.ErrNotFound)
	}
	var it sessionItem
	if err := attributevalue.UnmarshalMap(stored, &it); err != nil {
		return nil, fmt.Errorf("reading session %q: decoding: %w", id, err)
	}
	if !s.opts.Clock().Before(table.ParseTime(it.ExpiresAt)) {
		return nil, fmt.Errorf("reading session %q: %w (expired)", id, audit.ErrNotFound)
	}
	if it.Data == nil {
		it.Data = map[string]string{}
	}
	return it.Data, nil
}
