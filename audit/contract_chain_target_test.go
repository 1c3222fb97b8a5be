package audit

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// A complete record (a denial, a request noted) has no outcome link to compare
// its target with, so its hash must be what guards it: rewriting whom it names
// is named by Verify. So is moving any entry into another user's history or
// another person's actions through its index keys.
func TestLogVerifyNamesARetargetedRecord(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, raw rawTable) {
		clock := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		log := open(WithClock(func() time.Time { return clock }))
		ids := writeSome(t, log, "cmd#r", 12) // ids[0], ids[4], ids[8] are records
		clock = clock.Add(time.Minute)
		if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); !rep.Intact() {
			t.Fatalf("before tampering: %+v %v", rep, breaks)
		}
		renamed, resubbed, moved := ids[0], ids[4], ids[8]
		putItem(t, raw, setS(getItem(t, raw, table.EntryKey(renamed)), "target_username", "mallory"))
		putItem(t, raw, setS(getItem(t, raw, table.EntryKey(resubbed)), "target_sub", "sub-other"))
		putItem(t, raw, setS(getItem(t, raw, table.EntryKey(moved)), table.AttrTargetPK, table.TargetKey("us-east-1_pool", "mallory")))
		// Intents too: one moved to another user's history (ids[1]), one
		// (resolved, ids[3]) to another person's actions.
		intentMoved, actorMoved := ids[1], ids[3]
		putItem(t, raw, setS(getItem(t, raw, table.EntryKey(intentMoved)), table.AttrTargetPK, table.TargetKey("us-east-1_pool", "mallory")))
		putItem(t, raw, setS(getItem(t, raw, table.EntryKey(actorMoved)), table.AttrActorPK, table.ActorKey("T1", "U-someone-else")))

		rep, breaks := verifyAll(t, log, chain.VerifyOptions{})
		if rep.Intact() {
			t.Fatal("records whose target was rewritten verify clean")
		}
		for _, id := range []string{renamed, resubbed, moved, intentMoved, actorMoved} {
			if b, ok := breakAbout(breaks, id); !ok || b.Kind != chain.BreakChanged {
				t.Errorf("entry %s: got %+v (found %v), want a %q break naming it; all breaks: %v", id, b, ok, chain.BreakChanged, breaks)
			}
		}
	})
}
