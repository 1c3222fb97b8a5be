package state

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// volumeItem is one requester's count in one bucket. The count is a
// zero-padded string, so the one compare-and-set this needs is the same
// string condition on both backends.
type volumeItem struct {
	PK    string    `dynamodbav:"pk"`
	Count string    `dynamodbav:"count"`
	TTL   time.Time `dynamodbav:"ttl,unixtime"`
}

const volumeDigits = "%012d"

func volumeKey(who audit.Actor, bucket int64) string {
	return "BULKVOL#" + table.KeyPart(who.TeamID) + "/" + table.KeyPart(who.UserID) + "#" + strconv.FormatInt(bucket, 10)
}

// BulkVolume reads who's volume in the buckets of window at now.
func (s *storeCore) BulkVolume(ctx context.Context, who audit.Actor, now time.Time, window time.Duration) (audit.Volume, error) {
	if who.UserID == "" || window <= 0 {
		return audit.Volume{}, fmt.Errorf("reading bulk volume: %w: needs a requester and a window", audit.ErrInvalid)
	}
	v := audit.Volume{Bucket: now.UnixNano() / int64(window)}
	var err error
	if v.Current, err = s.volumeCount(ctx, volumeKey(who, v.Bucket)); err != nil {
		return audit.Volume{}, err
	}
	if v.Previous, err = s.volumeCount(ctx, volumeKey(who, v.Bucket-1)); err != nil {
		return audit.Volume{}, err
	}
	return v, nil
}

func (s *storeCore) volumeCount(ctx context.Context, pk string) (int, error) {
	stored, err := s.t.Get(ctx, pk)
	if err != nil {
		return 0, fmt.Errorf("reading bulk volume: %w", table.Unavailable(err))
	}
	if stored == nil {
		return 0, nil
	}
	var it volumeItem
	if err := attributevalue.UnmarshalMap(stored, &it); err != nil {
		return 0, fmt.Errorf("reading bulk volume: decoding: %w", err)
	}
	return strconv.Atoi(it.Count)
}

// AddBulkVolume adds n users to who's current bucket as read in v, with a
// conditional write: it returns ErrConflict when another job was counted
// since v was read, so the caller reads again and decides again.
func (s *storeCore) AddBulkVolume(ctx context.Context, who audit.Actor, v audit.Volume, window time.Duration, n int) error {
	if who.UserID == "" || window <= 0 || n < 0 {
		return fmt.Errorf("adding bulk volume: %w", audit.ErrInvalid)
	}
	pk := volumeKey(who, v.Bucket)
	if v.Current == 0 {
		// The bucket's item may not exist yet; a lost create means it does.
		ttl := time.Unix(0, (v.Bucket+3)*int64(window)).Truncate(time.Second)
		it, err := table.Marshal(volumeItem{PK: pk, Count: fmt.Sprintf(volumeDigits, 0), TTL: ttl})
		if err != nil {
			return fmt.Errorf("adding bulk volume: %w: %v", audit.ErrInvalid, err)
		}
		if err := s.t.Create(ctx, it); err != nil && table.ConditionFailed(err) == nil {
			return fmt.Errorf("adding bulk volume: %w", table.Unavailable(err))
		}
	}
	var c table.Change
	c.Require("count", table.OpEqual, fmt.Sprintf(volumeDigits, v.Current))
	c.Set("count", fmt.Sprintf(volumeDigits, v.Current+n))
	if _, err := s.t.Update(ctx, pk, c); err != nil {
		if table.ConditionFailed(err) != nil {
			return fmt.Errorf("adding bulk volume: %w", audit.ErrConflict)
		}
		return fmt.Errorf("adding bulk volume: %w", table.Unavailable(err))
	}
	return nil
}
