package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/chain"
)

// exportAPI is what the export and search tests use of a log.
type exportAPI interface {
	chainLogAPI
	Export(ctx context.Context, since, until time.Time, emit func(chain.ExportRecord) error) error
	Search(ctx context.Context, match func(Entry) bool, limit int, cursor string) ([]Entry, string, error)
}

var (
	_ exportAPI = (*Log)(nil)
	_ exportAPI = (*MemoryLog)(nil)
)

// Export writes every link in time order, from since, with the fields a receiver
// needs to recompute each hash.
func TestLogExportIsInTimeOrderWithChainFields(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, _ rawTable) {
		t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		clock := t0
		log := open(WithClock(func() time.Time { clock = clock.Add(time.Second); return clock })).(exportAPI)
		writeSome(t, log, "cmd#x", 12) // 12 entries, 6 outcomes, one per second
		var recs []chain.ExportRecord
		if err := log.Export(ctxT(t), time.Time{}, time.Time{}, func(r chain.ExportRecord) error { recs = append(recs, r); return nil }); err != nil {
			t.Fatalf("Export: %v", err)
		}
		if len(recs) != 18 {
			t.Fatalf("exported %d records, want 18", len(recs))
		}
		sks := make([]string, len(recs))
		for i, r := range recs {
			sks[i] = r["chain_sk"]
			if r["chain_hash"] == "" || r["id"] == "" || r["chain_kind"] == "" {
				t.Errorf("record %d lacks chain fields: %v", i, r)
			}
		}
		if !slices.IsSorted(sks) {
			t.Errorf("records are not in time order: %v", sks)
		}
		// A receiver recomputes a record's hash from the exported fields.
		first := recs[0]
		if first["chain_kind"] != chain.KindRecord || first["params"] != `{"reason":"offboarding"}` || first["time"] == "" {
			t.Errorf("first record %v", first)
		}
		// --since keeps the later ones only; an emit error stops the export.
		var later int
		if err := log.Export(ctxT(t), t0.Add(10*time.Second), time.Time{}, func(chain.ExportRecord) error { later++; return nil }); err != nil || later == 0 || later >= 18 {
			t.Errorf("Export since: %d records, %v", later, err)
		}
		stop := errors.New("stop")
		if err := log.Export(ctxT(t), time.Time{}, time.Time{}, func(chain.ExportRecord) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("Export with a failing writer: %v", err)
		}
	})
}

// Search pages newest first through entries a filter accepts, across chains.
func TestLogSearchPagesNewestFirst(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, _ rawTable) {
		t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		clock := t0
		log := open(WithClock(func() time.Time { clock = clock.Add(time.Second); return clock })).(exportAPI)
		ctx := ctxT(t)
		for i := range 30 {
			e := withOutcome(sampleEntry(fmt.Sprintf("cmd#s-%02d", i)))
			e.Reason = fmt.Sprintf("INC-%d offboarding", i%3)
			if err := log.Record(ctx, e); err != nil {
				t.Fatalf("Record: %v", err)
			}
		}
		match := func(e Entry) bool { return strings.HasPrefix(e.Reason, "INC-1 ") }
		ids, sizes := collect(t, func(cursor string) ([]Entry, string, error) { return log.Search(ctx, match, 4, cursor) })
		var want []string
		for i := 28; i >= 0; i-- {
			if i%3 == 1 {
				want = append(want, fmt.Sprintf("cmd#s-%02d", i))
			}
		}
		if !slices.Equal(ids, want) {
			t.Errorf("search found %v (pages %v), want %v", ids, sizes, want)
		}
		if _, _, err := log.Search(ctx, match, 4, "not-a-cursor"); !errors.Is(err, ErrInvalid) {
			t.Errorf("a bad cursor: %v", err)
		}
	})
}
