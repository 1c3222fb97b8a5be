package audit

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Checks of what only DynamoDB shows: the stored items themselves and the requests made.
// The behaviour both backends share is in the contract tests.

// rawItem reads the stored item directly, bypassing the package's decoding.
func rawItem(t *testing.T, client *dynamodb.Client, table, pk string) item {
	t.Helper()
	out, err := client.GetItem(ctxT(t), &dynamodb.GetItemInput{
		TableName: aws.String(table), Key: keyOf(pk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

func TestSecretsNeverReachDynamoDB(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	e := sampleEntry(uid("cmd#secret"))
	e.Params = map[string]string{"password": "Hunter2!", "access_token": "z", "mfaCode": "654321", "email": "bob@example.com"}
	if err := log.Begin(ctxT(t), e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	params := rawItem(t, client, tables.Audit, entryKey(e.ID))["params"].(*types.AttributeValueMemberM).Value
	for k, v := range params {
		s := v.(*types.AttributeValueMemberS).Value
		if want := map[bool]string{true: "bob@example.com", false: redacted}[k == "email"]; s != want {
			t.Errorf("stored params[%q] = %q, want %q", k, s, want)
		}
	}
}

func TestTTLIsEpochSecondsNumber(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	const retention = 90 * 24 * time.Hour
	log := NewLog(client, tables.Audit, retention)
	e := sampleEntry(uid("cmd#ttl"))
	if err := log.Begin(ctxT(t), e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	n, ok := rawItem(t, client, tables.Audit, entryKey(e.ID))[attrTTL].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("ttl attribute is not a Number")
	}
	secs, err := strconv.ParseInt(n.Value, 10, 64)
	if want := time.Now().Add(retention).Unix(); err != nil || secs < want-60 || secs > want+60 {
		t.Errorf("ttl = %s, want about %d (now + retention, in seconds)", n.Value, want)
	}
	forever := NewLog(client, tables.Audit, 0)
	e2 := sampleEntry(uid("cmd#forever"))
	if err := forever.Begin(ctxT(t), e2); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if _, ok := rawItem(t, client, tables.Audit, entryKey(e2.ID))[attrTTL]; ok {
		t.Error("retention 0 still wrote a ttl attribute")
	}

	store := NewStore(client, tables.State)
	id := NewID()
	if err := store.PutSession(ctxT(t), id, map[string]string{"k": "v"}, time.Minute); err != nil {
		t.Fatalf("PutSession: %v", err)
	}
	if _, ok := rawItem(t, client, tables.State, sessionKey(id))[attrTTL].(*types.AttributeValueMemberN); !ok {
		t.Error("session ttl is not a Number")
	}
}

func TestOpenIndexKeysExistOnlyWhileOpen(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	ctx := ctxT(t)
	e := sampleEntry(uid("exec#sparse"))
	if err := log.Begin(ctx, e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	has := func(id string) bool {
		it := rawItem(t, client, tables.Audit, entryKey(id))
		_, pk := it[attrOpenPK]
		_, sk := it[attrOpenSK]
		return pk && sk
	}
	if !has(e.ID) {
		t.Error("an open intent has no open index keys")
	}
	if err := log.Finish(ctx, e.ID, OutcomeOK, "", ""); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if has(e.ID) {
		t.Error("a finished entry still carries open index keys")
	}
	rec := withOutcome(sampleEntry(uid("cmd#rec")))
	if err := log.Record(ctx, rec); err != nil {
		t.Fatalf("Record: %v", err)
	}
	if has(rec.ID) {
		t.Error("a recorded entry carries open index keys")
	}
}

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
	t.Parallel()
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
