package audit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// laggingTable is a table whose by_chain index has not caught up with some
// writes yet, as a global secondary index in AWS may not have a moment after
// them (DynamoDB Local and memory are immediate).
type laggingTable struct {
	table.Table
	mu     sync.Mutex
	hidden map[string]bool // pks the index does not show yet
}

func (l *laggingTable) hide(pks ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, pk := range pks {
		l.hidden[pk] = true
	}
}

func (l *laggingTable) Query(ctx context.Context, q table.IndexQuery) ([]table.Item, table.Item, error) {
	items, last, err := l.Table.Query(ctx, q)
	if err != nil || q.Index != table.IndexByChain {
		return items, last, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var shown []table.Item
	for _, it := range items {
		if !l.hidden[table.StringAttr(it, table.AttrPK)] {
			shown = append(shown, it)
		}
	}
	return shown, last, nil
}

// An honest log verifies clean while its index lags: the newest links of a
// chain (such as the intent `/cognito audit verify` writes just before it
// checks) are in the table, and its head, but not yet in the index.
func TestLogVerifyToleratesIndexLag(t *testing.T) {
	t.Parallel()
	mem := NewMemoryLog(0).mem
	lag := &laggingTable{Table: mem, hidden: map[string]bool{}}
	clock := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	log := &MemoryLog{logCore: newLogCore(lag, 0, []Option{WithClock(func() time.Time { return clock })}), mem: mem}

	ids := writeSome(t, log, "cmd#lag", 8)
	// ids[7] is an intent finished later: its intent and then its outcome are
	// the newest links of their chain.
	lag.hide(chain.OutcomeKey(ids[7]))
	clock = clock.Add(time.Minute)
	if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); !rep.Intact() {
		t.Errorf("the newest link not yet indexed: %+v %v", rep, breaks)
	}
	lag.hide(table.EntryKey(ids[7]))
	if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); !rep.Intact() {
		t.Errorf("the two newest links not yet indexed: %+v %v", rep, breaks)
	}
	// The index may also show a link before its predecessor.
	lag.hidden = map[string]bool{table.EntryKey(ids[7]): true}
	if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); !rep.Intact() {
		t.Errorf("a link indexed before its predecessor: %+v %v", rep, breaks)
	}

	// Deleting the newest link is still named.
	lag.hidden = map[string]bool{}
	mem.Delete(chain.OutcomeKey(ids[7]))
	if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); rep.Intact() {
		t.Errorf("a deleted newest link verifies clean: %+v %v", rep, breaks)
	}
}
