package audit

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/chain"
)

// The outcome of an intent this log handle wrote names the intent's hash without
// reading the entry back: Finish is one write, still conditional on the entry
// being pending.
func TestFinishOfAnIntentThisLogWroteReadsNothing(t *testing.T) {
	api := &recordingAPI{}
	log := NewLog(api, "audit", time.Hour)
	if err := log.Begin(t.Context(), sampleEntry("cmd#1")); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	intentHash := stringAttr(api.put.Item, chain.AttrChainHash)
	if err := log.FinishResolved(t.Context(), "cmd#1", OutcomeOK, "found", "", Target{Pool: "p-other", Username: "carol", Sub: "sub-c"}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if api.gets != 0 {
		t.Errorf("Finish read the entry %d times; the handle that wrote it knows its hash", api.gets)
	}
	if got := stringAttr(api.put.Item, "entry_hash"); intentHash == "" || got != intentHash {
		t.Errorf("the outcome names entry hash %q, the intent's is %q", got, intentHash)
	}
	cond := resolveNames(aws.ToString(api.update.ConditionExpression), api.update.ExpressionAttributeNames)
	if !strings.Contains(cond, "outcome = :") {
		t.Errorf("condition %q does not require a pending entry", cond)
	}
	// The history key stays in the entry's own pool, as when it was read.
	if !strings.Contains(fmt.Sprint(api.update.ExpressionAttributeNames), "target_pk") {
		t.Errorf("update %q does not move the entry to the resolved user's history", aws.ToString(api.update.UpdateExpression))
	}
}

func stringAttr(item map[string]types.AttributeValue, attr string) string {
	v, _ := item[attr].(*types.AttributeValueMemberS)
	if v == nil {
		return ""
	}
	return v.Value
}

// An intent finished by another replica (its sweeper, a retry) is not finished
// again by the replica that wrote it, whatever that replica remembers: the first
// outcome stays, and the chain verifies clean.
func TestFinishAfterAnotherReplicaFinishedKeepsTheFirstOutcome(t *testing.T) {
	forEachChainLog(t, func(t *testing.T, open func(...Option) chainLogAPI, _ rawTable) {
		a, b := open(), open()
		e := sampleEntry(uid("cmd#two"))
		if err := a.Begin(ctxT(t), e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		if err := b.Finish(ctxT(t), e.ID, OutcomeError, "closed by the other replica", ""); err != nil {
			t.Fatalf("the other replica's Finish: %v", err)
		}
		if err := a.Finish(ctxT(t), e.ID, OutcomeOK, "late", ""); !errors.Is(err, ErrAlreadyFinished) {
			t.Errorf("Finish of an entry finished elsewhere: %v, want ErrAlreadyFinished", err)
		}
		if err := a.Finish(ctxT(t), e.ID, OutcomeOK, "later", ""); !errors.Is(err, ErrAlreadyFinished) {
			t.Errorf("Finish again: %v, want ErrAlreadyFinished", err)
		}
		got, err := a.Get(ctxT(t), e.ID)
		if err != nil || got.Outcome != OutcomeError || got.Message != "closed by the other replica" {
			t.Errorf("entry %+v (%v), want the first outcome", got, err)
		}
		if rep, breaks := verifyAll(t, a, chain.VerifyOptions{}); !rep.Intact() || rep.Outcomes != 1 {
			t.Errorf("report %+v, breaks %v", rep, breaks)
		}
	})
}

// A handle remembers a bounded number of open intents; one it has forgotten is
// still finished right, by reading it.
func TestFinishOfAForgottenIntentReadsIt(t *testing.T) {
	log := NewMemoryLog(time.Hour)
	log.begun.limit = 16 // maxBegun's eviction, without writing 4,096 intents
	first := sampleEntry("cmd#first")
	if err := log.Begin(t.Context(), first); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	for i := range log.begun.limit {
		if err := log.Begin(t.Context(), sampleEntry(fmt.Sprintf("cmd#%d", i))); err != nil {
			t.Fatalf("Begin: %v", err)
		}
	}
	if _, ok := log.begun.lookup(first.ID); ok {
		t.Fatalf("the handle remembers more than %d open intents", log.begun.limit)
	}
	if err := log.FinishResolved(t.Context(), first.ID, OutcomeOK, "found", "", Target{Pool: first.Target.Pool, Username: "carol", Sub: "sub-c"}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if err := log.Finish(t.Context(), "cmd#7", OutcomeError, "failed", ""); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if rep, breaks := verifyAll(t, log, chain.VerifyOptions{}); !rep.Intact() || rep.Outcomes != 2 {
		t.Errorf("report %+v, breaks %v", rep, breaks)
	}
	if entries, _, err := log.ByTarget(t.Context(), first.Target.Pool, "carol", 10, ""); err != nil || len(entries) != 1 || entries[0].ID != first.ID {
		t.Errorf("carol's history: %v (%v), want the resolved lookup", entries, err)
	}
}

// The ids a handle keeps to forget the oldest stay bounded however many
// intents come and go.
func TestBegunIntentsStayBounded(t *testing.T) {
	var b begunIntents
	for i := range 10 * maxBegun {
		id := fmt.Sprint(i)
		b.remember(id, begunIntent{hash: id})
		if i%3 != 0 {
			b.forget(id)
		}
	}
	if len(b.by) > maxBegun || len(b.order) > 2*maxBegun {
		t.Errorf("remembers %d intents in an order of %d", len(b.by), len(b.order))
	}
	// 10*maxBegun-1 is a multiple of 3, so open; the one before it was finished.
	newest, finished := fmt.Sprint(10*maxBegun-1), fmt.Sprint(10*maxBegun-2)
	if in, ok := b.lookup(newest); !ok || in.hash != newest {
		t.Errorf("the newest open intent is forgotten")
	}
	if _, ok := b.lookup(finished); ok {
		t.Errorf("a finished intent is still remembered")
	}
}
