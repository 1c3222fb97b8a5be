package audit

import (
	"fmt"
	"testing"
	"time"
)

func TestMemoryLogRecentShowsEveryEntryNewestFirst(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	log := NewMemoryLog(time.Hour, WithClock(clock.Now))
	ctx := t.Context()
	if got := log.Recent(10); len(got) != 0 {
		t.Fatalf("Recent on an empty log: %d entries", len(got))
	}
	var want []string
	for i := range 5 {
		e := Entry{ID: fmt.Sprintf("e%d", i), Action: "show", Decision: Denied, DenyReason: "no"}
		if i%2 == 0 { // entries with neither actor nor target are listed too
			e = sampleEntry(fmt.Sprintf("e%d", i))
		}
		var err error
		if i%2 == 0 {
			err = log.Begin(ctx, e)
		} else {
			err = log.Record(ctx, e)
		}
		if err != nil {
			t.Fatalf("writing %s: %v", e.ID, err)
		}
		want = append([]string{e.ID}, want...)
		clock.Advance(time.Second)
	}
	if err := log.Finish(ctx, "e0", OutcomeOK, "done", ""); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	all := log.Recent(0)
	if got := idList(all, func(e Entry) string { return e.ID }); got != fmt.Sprint(want) {
		t.Errorf("Recent(0) = %s, want %s", got, want)
	}
	if last := all[len(all)-1]; last.ID != "e0" || last.Outcome != OutcomeOK || last.Message != "done" {
		t.Errorf("Recent shows e0 as %+v, want it finished", last)
	}
	if got := idList(log.Recent(2), func(e Entry) string { return e.ID }); got != fmt.Sprint(want[:2]) {
		t.Errorf("Recent(2) = %s, want %s", got, want[:2])
	}
}

func TestMemoryLogDropsEntriesPastTheirRetention(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	log := NewMemoryLog(time.Hour, WithClock(clock.Now))
	keep := NewMemoryLog(0, WithClock(clock.Now))
	ctx := t.Context()
	if err := log.Begin(ctx, sampleEntry("old")); err != nil {
		t.Fatal(err)
	}
	if err := keep.Begin(ctx, sampleEntry("forever")); err != nil {
		t.Fatal(err)
	}

	// Within retention every entry stays.
	clock.Advance(30 * time.Minute)
	if err := log.Record(ctx, withOutcome(sampleEntry("new"))); err != nil {
		t.Fatal(err)
	}
	if _, err := log.Get(ctx, "old"); err != nil {
		t.Errorf("entry within retention: %v", err)
	}

	// Past retention the next write drops them, so a long-running sandbox stays small.
	clock.Advance(2 * time.Hour)
	if err := log.Record(ctx, withOutcome(sampleEntry("newer"))); err != nil {
		t.Fatal(err)
	}
	if got := idList(log.Recent(0), func(e Entry) string { return e.ID }); got != "[newer]" {
		t.Errorf("after retention the log holds %s, want [newer]", got)
	}
	if _, err := keep.Get(ctx, "forever"); err != nil {
		t.Errorf("entry of a log without retention: %v", err)
	}
}
