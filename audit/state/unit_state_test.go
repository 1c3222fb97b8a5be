package state

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

func TestInvalidTransitionsMakeNoCall(t *testing.T) {
	t.Parallel()
	// A nil API would panic if called: these must be refused up front.
	store := NewStore(nil, "unused")
	bad := [][2]audit.State{
		{audit.StateFailed, audit.StatePending}, {audit.StateDone, audit.StateExecuting}, {audit.StatePending, audit.StateDone},
		{audit.StatePending, audit.StateFailed}, {audit.StateExecuting, audit.StatePending}, {audit.StatePending, audit.StatePending},
		{audit.StateExpired, audit.StateExecuting}, {audit.StateCancelled, audit.StatePending}, {audit.StateRejected, audit.StateExecuting},
		{audit.StateExecuting, audit.StateCancelled}, {"", audit.StateExecuting}, {audit.StatePending, "BOGUS"},
	}
	for _, m := range bad {
		if _, err := store.Transition(t.Context(), "id", m[0], m[1], audit.Update{}); !errors.Is(err, audit.ErrInvalidTransition) {
			t.Errorf("%s→%s: got %v, want ErrInvalidTransition", m[0], m[1], err)
		}
	}
	good := [][2]audit.State{
		{audit.StatePending, audit.StateExecuting}, {audit.StatePending, audit.StateCancelled}, {audit.StatePending, audit.StateExpired},
		{audit.StatePending, audit.StateRejected}, {audit.StateExecuting, audit.StateDone}, {audit.StateExecuting, audit.StateFailed},
	}
	for _, m := range good {
		if !audit.CanTransition(m[0], m[1]) {
			t.Errorf("CanTransition(%s, %s) = false", m[0], m[1])
		}
	}
}

// stateAPI is a table.API fake for checks that need no emulator: UpdateItem
// fails with updateErr and GetItem answers getItem. Unlisted methods panic.
type stateAPI struct {
	table.API
	updateErr error
	getItem   map[string]types.AttributeValue
}

func (f *stateAPI) UpdateItem(_ context.Context, _ *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	return &dynamodb.UpdateItemOutput{}, f.updateErr
}

func (f *stateAPI) GetItem(_ context.Context, _ *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return &dynamodb.GetItemOutput{Item: f.getItem}, nil
}

func TestTransitionConditionFailureWithoutOldItem(t *testing.T) {
	t.Parallel()
	// An endpoint that ignores ReturnValuesOnConditionCheckFailure: a consistent read
	// tells the loser what the item is now.
	ccf := &types.ConditionalCheckFailedException{Message: aws.String("failed")}
	api := &stateAPI{updateErr: ccf}
	api.getItem, _ = table.Marshal(toPendingItem(audit.Pending{ID: "p", Kind: audit.KindConfirm, State: audit.StateExecuting, ExpiresAt: time.Now().Add(time.Hour)}, time.Hour))
	_, err := NewStore(api, "state").Transition(t.Context(), "p", audit.StatePending, audit.StateExecuting, audit.Update{})
	var te *audit.TransitionError
	if !errors.As(err, &te) || te.Current.State != audit.StateExecuting {
		t.Errorf("Transition: got %v, want a TransitionError with state EXECUTING", err)
	}
}
