package state

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// Holds: a named claim that one holder has at a time across every replica (one
// export per person in the whole deployment). It is a row in the state table
// taken by a conditional write: created when there is none, or taken over
// when the earlier holder's time ran out (a replica that died cannot keep it
// forever); the holder renews it by holding it again and releases it when its
// work ends. The row outlives a release, as a free hold, until its ttl.

func holdKey(name string) string { return "HOLD#" + table.KeyPart(name) }

const (
	attrHolder    = "holder"
	attrHoldUntil = "hold_until"
)

// heldNever is the hold_until of a released hold: before any clock's now.
var heldNever = table.FormatTime(time.Unix(0, 0))

// holdTTLSlack is how long a hold's row stays after its time runs out, for
// DynamoDB's TTL sweep (which never removes a hold still running).
const holdTTLSlack = time.Hour

// Hold gives name to holder for ttl from now unless another holder has it and
// its time has not run out, and reports whether holder has it now. Holding
// again what holder already has renews it. Of several replicas holding the
// same name at once, exactly one gets true.
func (s *storeCore) Hold(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, fmt.Errorf("holding: %w: needs a name, a holder and a positive ttl", audit.ErrInvalid)
	}
	now := s.opts.Clock()
	until := now.Add(ttl)
	sweep := until.Add(holdTTLSlack).Unix()
	for range 3 {
		err := s.t.Create(ctx, table.Item{
			table.AttrPK:  &types.AttributeValueMemberS{Value: holdKey(name)},
			attrHolder:    &types.AttributeValueMemberS{Value: holder},
			attrHoldUntil: &types.AttributeValueMemberS{Value: table.FormatTime(until)},
			table.AttrTTL: &types.AttributeValueMemberN{Value: fmt.Sprint(sweep)},
		})
		if table.ConditionFailed(err) == nil {
			return s.held(name, err)
		}
		// There is a row: take it if its time ran out, or renew it if it is ours.
		var take table.Change
		take.Require(attrHoldUntil, table.OpAtMost, table.FormatTime(now))
		take.Set(attrHolder, holder)
		take.Set(attrHoldUntil, table.FormatTime(until))
		take.SetNumber(table.AttrTTL, sweep)
		_, err = s.t.Update(ctx, holdKey(name), take)
		lost := table.ConditionFailed(err)
		if lost == nil {
			return s.held(name, err)
		}
		if lost.Item == nil {
			continue // swept between the two writes: create it again
		}
		if table.StringAttr(lost.Item, attrHolder) != holder {
			return false, nil
		}
		var renew table.Change
		renew.Require(attrHolder, table.OpEqual, holder)
		renew.Set(attrHoldUntil, table.FormatTime(until))
		renew.SetNumber(table.AttrTTL, sweep)
		_, err = s.t.Update(ctx, holdKey(name), renew)
		if table.ConditionFailed(err) == nil {
			return s.held(name, err)
		}
		// Taken from us in between (our time had run out): look again.
	}
	return false, nil
}

// held turns a write's error into Hold's answer.
func (s *storeCore) held(name string, err error) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("holding %q: %w", name, table.Unavailable(err))
	}
	return true, nil
}

// Unhold releases name if holder has it; when another holder has it (ours ran
// out and was taken) or nobody does, it changes nothing.
func (s *storeCore) Unhold(ctx context.Context, name, holder string) error {
	if name == "" || holder == "" {
		return fmt.Errorf("releasing a hold: %w: needs a name and a holder", audit.ErrInvalid)
	}
	var c table.Change
	c.Require(attrHolder, table.OpEqual, holder)
	c.Set(attrHoldUntil, heldNever)
	_, err := s.t.Update(ctx, holdKey(name), c)
	if err != nil && table.ConditionFailed(err) == nil {
		return fmt.Errorf("releasing %q: %w", name, table.Unavailable(err))
	}
	return nil
}
