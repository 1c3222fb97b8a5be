package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// slowTable holds each transaction for a moment before it is applied, as a
// round trip to DynamoDB does, so writers of one process overlap; gate, when
// set, holds it until closed, after telling entered.
type slowTable struct {
	table.Table
	transactions atomic.Int32
	gate         chan struct{}
	entered      chan struct{}
}

func (s *slowTable) Transact(ctx context.Context, ops []table.TxOp) error {
	s.transactions.Add(1)
	if s.gate != nil {
		s.entered <- struct{}{}
		select {
		case <-s.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	} else {
		time.Sleep(2 * time.Millisecond)
	}
	return s.Table.Transact(ctx, ops)
}

// idsOnShard returns n ids that all land in the same chain.
func idsOnShard(n int) []string {
	var ids []string
	for i := 0; len(ids) < n; i++ {
		if id := fmt.Sprintf("cmd#same-%d", i); chain.ShardOf(id) == 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// Writers of one process appending to the same chain at once take turns: each
// entry and outcome is one transaction, none lost to another's head, and the
// chain verifies clean.
// It runs in a synctest bubble, whose clock moves on at once when every
// writer waits: the table's round trips overlap the same way, in no real time.
func TestWritersOfOneProcessTakeTurnsAtAChain(t *testing.T) {
	synctest.Test(t, writersOfOneProcessTakeTurnsAtAChain)
}

func writersOfOneProcessTakeTurnsAtAChain(t *testing.T) {
	mem := table.NewMemory(time.Now)
	slow := &slowTable{Table: mem}
	log := &MemoryLog{logCore: newLogCore(slow, 0, nil), mem: mem}
	ids := idsOnShard(12)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			if err := log.Begin(t.Context(), sampleEntry(id)); err != nil {
				t.Errorf("Begin: %v", err)
				return
			}
			if err := log.Finish(t.Context(), id, OutcomeOK, "done", ""); err != nil {
				t.Errorf("Finish: %v", err)
			}
		})
	}
	wg.Wait()
	if got, want := slow.transactions.Load(), int32(2*len(ids)); got != want {
		t.Errorf("%d transactions for %d intents and their outcomes, want %d: writers collided", got, len(ids), want)
	}
	if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); !rep.Intact() || rep.Outcomes != int64(len(ids)) {
		t.Errorf("report %+v, breaks %v", rep, breaks)
	}
}

// A writer that cannot get its turn before its deadline writes nothing and
// says the log is unavailable, so nothing runs unaudited. In a synctest
// bubble, its deadline passes as soon as it waits.
func TestAWriterOutOfTimeWaitingItsTurnWritesNothing(t *testing.T) {
	synctest.Test(t, aWriterOutOfTimeWaitingItsTurnWritesNothing)
}

func aWriterOutOfTimeWaitingItsTurnWritesNothing(t *testing.T) {
	mem := table.NewMemory(time.Now)
	slow := &slowTable{Table: mem, gate: make(chan struct{}), entered: make(chan struct{}, 2)}
	log := &MemoryLog{logCore: newLogCore(slow, 0, nil), mem: mem}
	ids := idsOnShard(2)
	first := make(chan error, 1)
	go func() { first <- log.Begin(context.Background(), sampleEntry(ids[0])) }()
	select { // the first writer holds the chain's turn
	case <-slow.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first Begin never reached the table")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if err := log.Begin(ctx, sampleEntry(ids[1])); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Begin past its deadline: %v, want ErrUnavailable", err)
	}
	close(slow.gate)
	if err := <-first; err != nil {
		t.Fatalf("the first Begin: %v", err)
	}
	if _, err := log.Get(t.Context(), ids[1]); !errors.Is(err, ErrNotFound) {
		t.Errorf("the late intent was written: %v", err)
	}
}
