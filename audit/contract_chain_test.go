package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// chainLogAPI is what the chain tests use of a log beyond logAPI.
type chainLogAPI interface {
	logAPI
	Verify(ctx context.Context, opts chain.VerifyOptions) (chain.VerifyReport, error)
	Anchor(ctx context.Context, id string) (chain.Anchor, error)
}

var (
	_ chainLogAPI = (*Log)(nil)
	_ chainLogAPI = (*MemoryLog)(nil)
)

// rawTable is the table under a log as someone with write access to it sees it: the
// tests change, delete and insert items through it, behind the log's back (in
// DynamoDB Local with the plain client).
type rawTable struct {
	table.Table
	del func(pk string)
}

// forEachChainLog runs test against a MemoryLog and a DynamoDB Log on tables of the
// test's own (verify reads whole chains), with raw access to what they store.
func forEachChainLog(t *testing.T, test func(t *testing.T, open func(opts ...Option) chainLogAPI, raw rawTable)) {
	t.Run("memory", func(t *testing.T) {
		mem := NewMemoryLog(0).mem
		test(t, func(opts ...Option) chainLogAPI {
			core := newLogCore(mem, 0, opts)
			return &MemoryLog{logCore: core, mem: mem}
		}, rawTable{Table: mem, del: mem.Delete})
	})
	t.Run("dynamodb", func(t *testing.T) {
		client, tables := emulatorTables(t, ownStorage)
		test(t, func(opts ...Option) chainLogAPI { return NewLog(client, tables.Audit, 0, opts...) },
			rawTable{Table: table.Dynamo{API: client, Name: tables.Audit}, del: func(pk string) {
				if _, err := client.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(tables.Audit), Key: table.KeyOf(pk)}); err != nil {
					t.Fatalf("deleting %s: %v", pk, err)
				}
			}})
	})
}

// verifyAll runs Verify and returns the report and every break.
func verifyAll(t *testing.T, log chainLogAPI, opts chain.VerifyOptions) (chain.VerifyReport, []chain.Break) {
	t.Helper()
	var breaks []chain.Break
	opts.OnBreak = func(b chain.Break) { breaks = append(breaks, b) }
	rep, err := log.Verify(ctxT(t), opts)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if int(rep.Breaks) != len(breaks) {
		t.Errorf("report counts %d breaks, %d were reported", rep.Breaks, len(breaks))
	}
	return rep, breaks
}

// writeSome writes n entries through log: intents finished ok, intents left open,
// intents resolved to a user, and complete records.
func writeSome(t *testing.T, log chainLogAPI, prefix string, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		ctx := ctxT(t)
		e := sampleEntry(fmt.Sprintf("%s-%d", prefix, i))
		ids = append(ids, e.ID)
		switch i % 4 {
		case 0:
			if err := log.Record(ctx, withOutcome(e)); err != nil {
				t.Fatalf("Record: %v", err)
			}
			continue
		case 3:
			e.Target.Username, e.Target.Sub = "", ""
		}
		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		switch i % 4 {
		case 1:
			if err := log.Finish(ctx, e.ID, OutcomeError, "it failed", "req-1"); err != nil {
				t.Fatalf("Finish: %v", err)
			}
		case 3:
			if err := log.FinishResolved(ctx, e.ID, OutcomeOK, "found", "", Target{Pool: e.Target.Pool, Username: "carol", Sub: "sub-c"}); err != nil {
				t.Fatalf("FinishResolved: %v", err)
			}
		}
	}
	return ids
}

// Two replicas appending at once, with intents finished later or never, leave a
// log that verifies clean at every moment.
func TestLogChainOfConcurrentReplicasVerifiesClean(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, _ rawTable) {
		a, b := open(), open()
		if rep, breaks := verifyAll(t, a, chain.VerifyOptions{}); !rep.Intact() || rep.Links != 0 {
			t.Fatalf("empty log: %+v %v", rep, breaks)
		}
		var wg sync.WaitGroup
		wg.Go(func() { writeSome(t, a, "cmd#a", 24) })
		wg.Go(func() { writeSome(t, b, "cmd#b", 24) })
		wg.Wait()
		rep, breaks := verifyAll(t, b, chain.VerifyOptions{})
		if !rep.Intact() {
			t.Fatalf("an honest log has breaks: %v", breaks)
		}
		// 48 entries, of which 36 intents and 24 of those finished.
		if rep.Entries != 48 || rep.Outcomes != 24 || rep.BeforeChain != 0 {
			t.Errorf("report %+v, want 48 entries and 24 outcomes", rep)
		}
		// An intent's outcome recorded after a check leaves the next check clean too.
		if err := a.Finish(ctxT(t), "cmd#b-2", OutcomeOK, "late", ""); err != nil {
			t.Fatalf("late Finish: %v", err)
		}
		if rep, breaks := verifyAll(t, a, chain.VerifyOptions{}); !rep.Intact() || rep.Outcomes != 25 {
			t.Errorf("after a late outcome: %+v %v", rep, breaks)
		}
	})
}

// getItem reads a stored item or fails the test.
func getItem(t *testing.T, raw rawTable, pk string) table.Item {
	t.Helper()
	it, err := raw.Get(ctxT(t), pk)
	if err != nil || it == nil {
		t.Fatalf("reading %s: %v (found %v)", pk, err, it != nil)
	}
	return it
}

func putItem(t *testing.T, raw rawTable, it table.Item) {
	t.Helper()
	if err := raw.Put(ctxT(t), it); err != nil {
		t.Fatalf("writing %s: %v", table.StringAttr(it, table.AttrPK), err)
	}
}

func setS(it table.Item, attr, value string) table.Item {
	out := make(table.Item, len(it))
	for k, v := range it {
		out[k] = v
	}
	out[attr] = &types.AttributeValueMemberS{Value: value}
	return out
}

// breakAbout is the first break naming id (as its entry or in its detail).
func breakAbout(breaks []chain.Break, id string) (chain.Break, bool) {
	for _, b := range breaks {
		if b.ID == id || strings.Contains(b.Detail, fmt.Sprintf("%q", id)) {
			return b, true
		}
	}
	return chain.Break{}, false
}

// Changing, deleting, inserting or moving items directly in the table is named by
// Verify: the entry, its time and what is wrong.
func TestLogVerifyNamesTampering(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, raw rawTable) {
		t0 := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
		clock := t0
		log := open(WithClock(func() time.Time { return clock }))

		// An entry from before the chain is counted, not broken.
		old := toEntryItem(withOutcome(sampleEntry("cmd#old")))
		old.Time = table.FormatTime(t0.Add(-24 * time.Hour))
		oldAV, _ := table.Marshal(old)
		putItem(t, raw, oldAV)

		ids := writeSome(t, log, "cmd#t", 40)
		clock = t0.Add(2 * time.Hour)
		if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); !rep.Intact() || rep.BeforeChain != 1 {
			t.Fatalf("before tampering: %+v %v", rep, breaks)
		}

		changed, outcomeChanged, deleted, inserted := ids[4], ids[5], ids[9], "cmd#forged"
		// A reason rewritten.
		putItem(t, raw, setS(getItem(t, raw, table.EntryKey(changed)), "reason", "nothing to see"))
		// A failure turned into a success on the entry only.
		putItem(t, raw, setS(getItem(t, raw, table.EntryKey(outcomeChanged)), "outcome", "ok"))
		// An entry deleted.
		raw.del(table.EntryKey(deleted))
		// An entry inserted without a link, dated after the chain began.
		forged := toEntryItem(withOutcome(sampleEntry(inserted)))
		forged.Time = table.FormatTime(t0.Add(90 * time.Minute))
		forgedAV, _ := table.Marshal(forged)
		putItem(t, raw, forgedAV)

		rep, breaks := verifyAll(t, log, chain.VerifyOptions{})
		if rep.Intact() {
			t.Fatal("a tampered log verifies clean")
		}
		want := map[string]chain.BreakKind{changed: chain.BreakChanged, outcomeChanged: chain.BreakChanged, deleted: chain.BreakMissingPredecessor, inserted: chain.BreakNotChained}
		for id, kind := range want {
			b, ok := breakAbout(breaks, id)
			if !ok || b.Kind != kind || b.Time.IsZero() {
				t.Errorf("entry %s: got %+v (found %v), want a %q break naming it; all breaks: %v", id, b, ok, kind, breaks)
			}
		}
		if b, _ := breakAbout(breaks, changed); !b.Time.Equal(t0) {
			t.Errorf("the changed entry's break has time %v, want %v", b.Time, t0)
		}
	})
}

// A chain whose head was deleted, with its newest links, is still named: the
// head is written with a chain's first link, so links without one mean tampering.
func TestLogVerifyNamesADeletedHead(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, raw rawTable) {
		log := open()
		ids := writeSome(t, log, "cmd#h", 8)
		shard := chain.ShardOf(ids[0])
		raw.del(chain.HeadKey(shard))
		_, breaks := verifyAll(t, log, chain.VerifyOptions{Until: time.Now().Add(time.Hour)})
		if !slices.ContainsFunc(breaks, func(b chain.Break) bool { return strings.Contains(b.Detail, "no head") && b.ID != "" }) {
			t.Errorf("breaks %v, want the chain without a head named", breaks)
		}
	})
}

// An entry moved to another place in its chain is named out of order.
func TestLogVerifyNamesAMovedEntry(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, raw rawTable) {
		log := open()
		ids := writeSome(t, log, "cmd#m", 24)
		// Find two entries of one chain and move the earlier past the later one.
		first := getItem(t, raw, table.EntryKey(ids[0]))
		var later table.Item
		for _, id := range ids[1:] {
			if it := getItem(t, raw, table.EntryKey(id)); table.StringAttr(it, table.AttrChainPK) == table.StringAttr(first, table.AttrChainPK) {
				later = it
				break
			}
		}
		if later == nil {
			t.Skip("no two entries share a chain")
		}
		at, _, _ := chain.ParseSortKey(table.StringAttr(later, table.AttrChainSK))
		_, seq, _ := chain.ParseSortKey(table.StringAttr(first, table.AttrChainSK))
		putItem(t, raw, setS(first, table.AttrChainSK, chain.SortKey(at.Add(time.Millisecond), seq)))
		_, breaks := verifyAll(t, log, chain.VerifyOptions{Until: time.Now().Add(time.Hour)})
		var kinds []chain.BreakKind
		for _, b := range breaks {
			if b.ID == ids[0] {
				kinds = append(kinds, b.Kind)
			}
		}
		if !slices.Contains(kinds, chain.BreakOutOfOrder) {
			t.Errorf("moved entry: breaks %v, want one out of order", breaks)
		}
	})
}

// Rebuilding a chain after a change (every later hash recomputed, the head too)
// passes the chain checks, but not the anchor taken before.
func TestLogAnchorCatchesARebuiltChain(t *testing.T) {
	t.Parallel()
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, raw rawTable) {
		log := open()
		ids := writeSome(t, log, "cmd#r", 16)
		a, err := log.Anchor(ctxT(t), "anchor#1")
		if err != nil || len(a.Heads) == 0 || len(a.Digest) != 64 {
			t.Fatalf("Anchor: %+v %v", a, err)
		}
		if _, err := log.Anchor(ctxT(t), "anchor#1"); err == nil {
			t.Error("a second anchor with the same id was recorded")
		}
		var checked []bool
		rep, breaks := verifyAll(t, log, chain.VerifyOptions{OnAnchor: func(_ chain.Anchor, ok bool) { checked = append(checked, ok) }})
		if !rep.Intact() || rep.Anchors != 1 || !slices.Equal(checked, []bool{true}) {
			t.Fatalf("before the rebuild: %+v %v %v", rep, breaks, checked)
		}
		rebuildChainFrom(t, raw, ids[1], "nothing to see")
		rep, breaks = verifyAll(t, log, chain.VerifyOptions{})
		if rep.Intact() || !slices.ContainsFunc(breaks, func(b chain.Break) bool { return strings.Contains(b.Detail, "anchor") }) {
			t.Errorf("after the rebuild: %+v, breaks %v, want the anchor to name it", rep, breaks)
		}
	})
}

// rebuildChainFrom rewrites the reason of entry id and recomputes every hash of its
// chain from there, and its head, as an attacker with write access could.
func rebuildChainFrom(t *testing.T, raw rawTable, id, reason string) {
	t.Helper()
	target := getItem(t, raw, table.EntryKey(id))
	shard := table.StringAttr(target, table.AttrChainPK)
	var links []table.Item
	var start table.Item
	for {
		page, last, err := raw.Query(ctxT(t), table.IndexQuery{Index: table.IndexByChain, PKAttr: table.AttrChainPK, SKAttr: table.AttrChainSK, Partition: shard, Limit: 100, Start: start})
		if err != nil {
			t.Fatalf("reading the chain: %v", err)
		}
		links = append(links, page...)
		if len(last) == 0 {
			break
		}
		start = last
	}
	prev := ""
	rehashed := map[string]string{}
	for _, it := range links {
		if table.StringAttr(it, table.AttrChainSK) < table.StringAttr(target, table.AttrChainSK) {
			prev = table.StringAttr(it, chain.AttrChainHash)
			continue
		}
		if table.StringAttr(it, "id") == id && table.StringAttr(it, chain.AttrChainKind) != chain.KindOutcome {
			it = setS(it, "reason", reason)
		}
		it = setS(it, chain.AttrChainPrev, prev)
		if table.StringAttr(it, chain.AttrChainKind) == chain.KindOutcome {
			if h, ok := rehashed[table.StringAttr(it, "id")]; ok {
				it = setS(it, "entry_hash", h)
			}
			var o chain.OutcomeItem
			_ = attributevalue.UnmarshalMap(it, &o)
			prev = chain.OutcomeHash(o)
		} else {
			var e chain.EntryItem
			_ = attributevalue.UnmarshalMap(it, &e)
			prev = chain.EntryHash(e)
			rehashed[e.ID] = prev
		}
		putItem(t, raw, setS(it, chain.AttrChainHash, prev))
	}
	head := getItem(t, raw, "CHAINHEAD#"+strings.TrimPrefix(shard, "CHAIN#"))
	putItem(t, raw, setS(head, chain.AttrHeadHash, prev))
}
