package audit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// countingAPI counts the GetItem calls made through a real client.
type countingAPI struct {
	dynamoAPI
	gets atomic.Int32
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.dynamoAPI.GetItem(ctx, in, opts...)
}

// The losers of a transition race learn the winner from the failed condition itself
// (ALL_OLD), not from a second read that could already see a later state.
func TestTransitionLosersMakeNoExtraRead(t *testing.T) {
	client, tables := sharedTables(t)
	api := &countingAPI{dynamoAPI: client}
	store := newStore(api, tables.State)
	ctx := ctxT(t)
	p, err := store.Create(ctx, samplePending(time.Now()))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	var wg sync.WaitGroup
	var lost atomic.Int32
	for i := range 5 {
		wg.Go(func() {
			by := Actor{UserID: fmt.Sprintf("U%d", i), TeamID: "T1"}
			if _, err := store.Transition(ctx, p.ID, StatePending, StateExecuting, Update{DecidedBy: &by}); err != nil {
				lost.Add(1)
			}
		})
	}
	wg.Wait()
	if lost.Load() != 4 {
		t.Errorf("%d racers lost, want 4", lost.Load())
	}
	if n := api.gets.Load(); n != 0 {
		t.Errorf("losers made %d extra reads", n)
	}
}
