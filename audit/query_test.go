package audit

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// collect pages through a listing and returns every id in order plus the page sizes.
func collect(t *testing.T, page func(cursor string) ([]Entry, string, error)) (ids []string, sizes []int) {
	t.Helper()
	cursor := ""
	for i := 0; ; i++ {
		if i > 20 {
			t.Fatal("too many pages")
		}
		es, next, err := page(cursor)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		sizes = append(sizes, len(es))
		for _, e := range es {
			ids = append(ids, e.ID)
		}
		if next == "" {
			return ids, sizes
		}
		cursor = next
	}
}

// The indexes are eventually consistent in AWS; DynamoDB Local updates them immediately,
// which is what lets these tests list entries right after writing them.
func TestByTargetAndByActorNewestFirstWithPaging(t *testing.T) {
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	ctx := ctxT(t)
	base := time.Now().UTC().Truncate(time.Second)
	pool, user := "us-east-1_q", uid("carol")
	team, alice, bob := uid("T"), "UALICE", "UBOB"

	// Seven entries about carol, written out of order, alternating between two actors; two
	// share a timestamp (the id breaks the tie). Plus noise about another user.
	var want []string // in write order
	times := []time.Duration{3, 0, 6, 1, 5, 2, 5}
	prefix := uid("cmd#q")
	for i, d := range times {
		e := sampleEntry(fmt.Sprintf("%s-%d", prefix, i))
		e.Time = base.Add(d * time.Second)
		e.Target = Target{Pool: pool, Username: user}
		e.Actor = Actor{TeamID: team, UserID: alice}
		if i%2 == 1 {
			e.Actor.UserID = bob
		}
		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		noise := sampleEntry(uid("cmd#noise"))
		noise.Actor = Actor{TeamID: uid("T"), UserID: alice}
		if err := log.Record(ctx, withOutcome(noise)); err != nil {
			t.Fatalf("Record: %v", err)
		}
		want = append(want, e.ID)
	}
	// Expected order: by time desc, then id desc for the tie at +5s.
	order := []int{2, 6, 4, 0, 5, 3, 1}
	var wantAll []string
	for _, i := range order {
		wantAll = append(wantAll, want[i])
	}

	ids, sizes := collect(t, func(c string) ([]Entry, string, error) { return log.ByTarget(ctx, pool, user, 3, c) })
	if fmt.Sprint(ids) != fmt.Sprint(wantAll) || fmt.Sprint(sizes) != "[3 3 1]" {
		t.Errorf("ByTarget pages %v: ids %v, want %v", sizes, ids, wantAll)
	}
	// An exact multiple of the page size ends without an empty trailing page.
	if _, sizes := collect(t, func(c string) ([]Entry, string, error) { return log.ByTarget(ctx, pool, user, 7, c) }); fmt.Sprint(sizes) != "[7]" {
		t.Errorf("ByTarget with limit 7: pages %v, want [7]", sizes)
	}

	var wantAlice []string
	for _, i := range order {
		if i%2 == 0 {
			wantAlice = append(wantAlice, want[i])
		}
	}
	ids, sizes = collect(t, func(c string) ([]Entry, string, error) { return log.ByActor(ctx, team, alice, 2, c) })
	if fmt.Sprint(ids) != fmt.Sprint(wantAlice) || fmt.Sprint(sizes) != "[2 2]" {
		t.Errorf("ByActor pages %v: ids %v, want %v", sizes, ids, wantAlice)
	}

	// Cursors are opaque but checked: garbage, or a cursor from another listing, is refused.
	_, next, err := log.ByActor(ctx, team, alice, 1, "")
	if err != nil || next == "" {
		t.Fatalf("ByActor: next %q, err %v", next, err)
	}
	for name, c := range map[string]string{"garbage": "%%%", "not json": "bm9wZQ", "other listing": next} {
		if _, _, err := log.ByTarget(ctx, pool, user, 3, c); !errors.Is(err, ErrInvalid) {
			t.Errorf("ByTarget with %s cursor: got %v, want ErrInvalid", name, err)
		}
	}
	if _, _, err := log.ByActor(ctx, "", alice, 3, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("ByActor without team: got %v, want ErrInvalid", err)
	}
	if es, next, err := log.ByTarget(ctx, pool, uid("nobody"), 3, ""); err != nil || len(es) != 0 || next != "" {
		t.Errorf("ByTarget of unknown user: %d entries, next %q, err %v", len(es), next, err)
	}
}

func withOutcome(e Entry) Entry {
	e.Decision, e.Outcome = Allowed, OutcomeOK
	return e
}
