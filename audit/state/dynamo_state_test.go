package state

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// countingAPI counts the GetItem calls made through a real client.
type countingAPI struct {
	table.API
	gets atomic.Int32
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.API.GetItem(ctx, in, opts...)
}

// The losers of a transition race learn the winner from the failed condition itself
// (ALL_OLD), not from a second read that could already see a later state.
func TestTransitionLosersMakeNoExtraRead(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	api := &countingAPI{API: client}
	store := NewStore(api, tables.State)
	ctx := ctxT(t)
	p, err := store.Create(ctx, samplePending(time.Now()))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	var wg sync.WaitGroup
	var lost atomic.Int32
	for i := range 5 {
		wg.Go(func() {
			by := audit.Actor{UserID: fmt.Sprintf("U%d", i), TeamID: "T1"}
			if _, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &by}); err != nil {
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

// rawItem reads the stored item directly, bypassing the package's decoding.
func rawItem(t *testing.T, client *dynamodb.Client, name, pk string) table.Item {
	t.Helper()
	out, err := client.GetItem(ctxT(t), &dynamodb.GetItemInput{
		TableName: aws.String(name), Key: table.KeyOf(pk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

func TestSessionTTLIsEpochSecondsNumber(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	store := NewStore(client, tables.State)
	id := audit.NewID()
	if err := store.PutSession(ctxT(t), id, map[string]string{"k": "v"}, time.Minute); err != nil {
		t.Fatalf("PutSession: %v", err)
	}
	if _, ok := rawItem(t, client, tables.State, table.SessionKey(id))[table.AttrTTL].(*types.AttributeValueMemberN); !ok {
		t.Error("session ttl is not a Number")
	}
}
