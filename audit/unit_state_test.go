package audit

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestInvalidTransitionsMakeNoCall(t *testing.T) {
	// A nil API would panic if called: these must be refused up front.
	store := newStore(nil, "unused")
	bad := [][2]State{
		{StateFailed, StatePending}, {StateDone, StateExecuting}, {StatePending, StateDone},
		{StatePending, StateFailed}, {StateExecuting, StatePending}, {StatePending, StatePending},
		{StateExpired, StateExecuting}, {StateCancelled, StatePending}, {StateRejected, StateExecuting},
		{StateExecuting, StateCancelled}, {"", StateExecuting}, {StatePending, "BOGUS"},
	}
	for _, m := range bad {
		if _, err := store.Transition(t.Context(), "id", m[0], m[1], Update{}); !errors.Is(err, ErrInvalidTransition) {
			t.Errorf("%s→%s: got %v, want ErrInvalidTransition", m[0], m[1], err)
		}
	}
	good := [][2]State{
		{StatePending, StateExecuting}, {StatePending, StateCancelled}, {StatePending, StateExpired},
		{StatePending, StateRejected}, {StateExecuting, StateDone}, {StateExecuting, StateFailed},
	}
	for _, m := range good {
		if !CanTransition(m[0], m[1]) {
			t.Errorf("CanTransition(%s, %s) = false", m[0], m[1])
		}
	}
}

func TestConditionFailureWithoutOldItem(t *testing.T) {
	// An endpoint that ignores ReturnValuesOnConditionCheckFailure: a consistent read
	// decides between "not found" and "already finished".
	ccf := &types.ConditionalCheckFailedException{Message: aws.String("failed")}
	api := &recordingAPI{updateErr: ccf}
	log := newLog(api, "audit", time.Hour)
	if err := log.Finish(t.Context(), "x", OutcomeOK, "", ""); !errors.Is(err, ErrNotFound) || api.gets != 1 {
		t.Errorf("Finish, no item: got %v after %d reads, want ErrNotFound", err, api.gets)
	}
	api.getItem, _ = marshal(toEntryItem(Entry{ID: "x", Action: "a", Decision: Allowed, Outcome: OutcomeOK}))
	if err := log.Finish(t.Context(), "x", OutcomeOK, "", ""); !errors.Is(err, ErrAlreadyFinished) {
		t.Errorf("Finish, finished item: got %v, want ErrAlreadyFinished", err)
	}
	api.getItem, _ = marshal(toPendingItem(Pending{ID: "p", State: StateExecuting, ExpiresAt: time.Now().Add(time.Hour)}, time.Hour))
	_, err := newStore(api, "state").Transition(t.Context(), "p", StatePending, StateExecuting, Update{})
	var te *TransitionError
	if !errors.As(err, &te) || te.Current.State != StateExecuting {
		t.Errorf("Transition: got %v, want a TransitionError with state EXECUTING", err)
	}
}
