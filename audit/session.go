package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
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
		return fmt.Errorf("storing session: %w: needs an id and a positive ttl", ErrInvalid)
	}
	exp := s.opts.clock().Add(ttl)
	it, err := marshal(sessionItem{
		PK:        sessionKey(id),
		ID:        id,
		Data:      data,
		ExpiresAt: formatTime(exp),
		// Round up so DynamoDB never sweeps a session before it has expired.
		TTL: exp.Add(time.Second - time.Nanosecond).Truncate(time.Second),
	})
	if err != nil {
		return fmt.Errorf("storing session: %w: %v", ErrInvalid, err)
	}
	if err := s.t.put(ctx, it); err != nil {
		return fmt.Errorf("storing session %q: %w", id, unavailable(err))
	}
	return nil
}

// GetSession returns the data stored under id. It returns ErrNotFound both for an
// unknown id and for an expired session: DynamoDB's TTL sweep is lazy and may leave an
// expired item readable for days, so expiry is checked here against the store's clock.
func (s *storeCore) GetSession(ctx context.Context, id string) (map[string]string, error) {
	if id == "" {
		return nil, fmt.Errorf("reading session: %w", ErrNotFound)
	}
	stored, err := s.t.get(ctx, sessionKey(id))
	if err != nil {
		return nil, fmt.Errorf("reading session %q: %w", id, unavailable(err))
	}
	if stored == nil {
		return nil, fmt.Errorf("reading session %q: %w", id, ErrNotFound)
	}
	var it sessionItem
	if err := attributevalue.UnmarshalMap(stored, &it); err != nil {
		return nil, fmt.Errorf("reading session %q: decoding: %w", id, err)
	}
	if !s.opts.clock().Before(parseTime(it.ExpiresAt)) {
		return nil, fmt.Errorf("reading session %q: %w (expired)", id, ErrNotFound)
	}
	if it.Data == nil {
		it.Data = map[string]string{}
	}
	return it.Data, nil
}
