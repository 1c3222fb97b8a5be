package audit

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestSessions(t *testing.T) {
	client, tables := sharedTables(t)
	clock := newFakeClock(time.Now().UTC())
	store := NewStore(client, tables.State, WithClock(clock.Now))
	ctx := ctxT(t)
	id := NewID()

	if err := store.PutSession(ctx, id, map[string]string{"filter": `email ^= "a"`, "cursor": "abc"}, 10*time.Minute); err != nil {
		t.Fatalf("PutSession: %v", err)
	}
	got, err := store.GetSession(ctx, id)
	if err != nil || got["filter"] != `email ^= "a"` || got["cursor"] != "abc" {
		t.Fatalf("GetSession: %v, %v", got, err)
	}
	if _, ok := rawItem(t, client, tables.State, sessionKey(id))[attrTTL].(*types.AttributeValueMemberN); !ok {
		t.Error("session ttl is not a Number")
	}

	// Paging on replaces the data and restarts the clock.
	clock.Advance(9 * time.Minute)
	if err := store.PutSession(ctx, id, map[string]string{"cursor": "def"}, 10*time.Minute); err != nil {
		t.Fatalf("PutSession again: %v", err)
	}
	clock.Advance(9 * time.Minute)
	got, err = store.GetSession(ctx, id)
	if err != nil || len(got) != 1 || got["cursor"] != "def" {
		t.Fatalf("GetSession after update: %v, %v", got, err)
	}

	// Expired but (as DynamoDB's lazy sweep allows) still stored: reported as not found.
	clock.Advance(time.Minute)
	if _, err := store.GetSession(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetSession after expiry: got %v, want ErrNotFound", err)
	}
	if rawItem(t, client, tables.State, sessionKey(id)) == nil {
		t.Log("item already swept by DynamoDB Local's TTL sweeper")
	}

	if _, err := store.GetSession(ctx, NewID()); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetSession of unknown id: got %v, want ErrNotFound", err)
	}
	empty := NewID()
	if err := store.PutSession(ctx, empty, nil, time.Minute); err != nil {
		t.Fatalf("PutSession with no data: %v", err)
	}
	if got, err := store.GetSession(ctx, empty); err != nil || got == nil || len(got) != 0 {
		t.Errorf("GetSession of empty session: %v, %v", got, err)
	}
	for name, call := range map[string]func() error{
		"no id":    func() error { return store.PutSession(ctx, "", nil, time.Minute) },
		"zero ttl": func() error { return store.PutSession(ctx, NewID(), nil, 0) },
	} {
		if err := call(); !errors.Is(err, ErrInvalid) {
			t.Errorf("PutSession with %s: got %v, want ErrInvalid", name, err)
		}
	}
}
