package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestLogBeginTwiceIsDuplicate(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		at := time.Now().UTC().Truncate(time.Second)
		log := open(24*time.Hour, WithClock(func() time.Time { return at }))
		ctx := ctxT(t)
		e := sampleEntry(uid("cmd#trigger"))

		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("first Begin: %v", err)
		}
		retry := e
		retry.Message = "a retry must not overwrite anything"
		err := log.Begin(ctx, retry)
		var ccf *types.ConditionalCheckFailedException
		if !errors.Is(err, ErrDuplicate) || !errors.As(err, &ccf) {
			t.Fatalf("second Begin: got %v, want ErrDuplicate wrapping ConditionalCheckFailedException", err)
		}
		got, err := log.Get(ctx, e.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Outcome != OutcomePending || got.Decision != Allowed || got.Message != "" {
			t.Errorf("Get: outcome %q decision %q message %q, want pending/allowed/empty", got.Outcome, got.Decision, got.Message)
		}
		if !got.Time.Equal(at) || got.Actor != e.Actor || got.Target != e.Target || got.Channel != "C1" ||
			got.SlackRef != "env-1" || got.Reason != "ticket 42" || got.Params["reason"] != "offboarding" {
			t.Errorf("Get: round trip mismatch: %+v", got)
		}
		list, _, err := log.ByTarget(ctx, e.Target.Pool, e.Target.Username, 10, "")
		if err != nil || len(list) != 1 {
			t.Fatalf("ByTarget after duplicate Begin: %d entries, err %v; want 1", len(list), err)
		}
	})
}

func TestLogConcurrentBeginHasOneWinner(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)
		e := sampleEntry(uid("cmd#race"))
		const racers = 20
		errs := make([]error, racers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				<-start
				mine := e
				mine.Message = fmt.Sprintf("racer %d", i) // must never be stored by a loser
				errs[i] = log.Begin(ctx, mine)
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, ErrDuplicate):
				t.Errorf("racer %d: got %v, want ErrDuplicate", i, err)
			}
		}
		if won != 1 {
			t.Fatalf("%d racers wrote the intent, want exactly 1", won)
		}
		if list, _, err := log.ByTarget(ctx, e.Target.Pool, e.Target.Username, 50, ""); err != nil || len(list) != 1 {
			t.Errorf("ByTarget after the race: %d entries, err %v; want 1", len(list), err)
		}
	})
}

func TestLogFinishOnce(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)
		e := sampleEntry(uid("exec#pending"))
		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		if err := log.Finish(ctx, e.ID, OutcomeOK, "user disabled", "req-123"); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if err := log.Finish(ctx, e.ID, OutcomeError, "second finish", "req-456"); !errors.Is(err, ErrAlreadyFinished) {
			t.Fatalf("second Finish: got %v, want ErrAlreadyFinished", err)
		}
		got, err := log.Get(ctx, e.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Outcome != OutcomeOK || got.Message != "user disabled" || got.CognitoRequestID != "req-123" {
			t.Errorf("after second Finish: outcome %q message %q request %q; want the first finish kept",
				got.Outcome, got.Message, got.CognitoRequestID)
		}
		if got.FinishedAt.IsZero() || time.Since(got.FinishedAt) > time.Minute {
			t.Errorf("FinishedAt = %v, want about now", got.FinishedAt)
		}
		if err := log.Finish(ctx, uid("missing"), OutcomeOK, "", ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("Finish of unknown id: got %v, want ErrNotFound", err)
		}
		if err := log.Finish(ctx, e.ID, OutcomePending, "", ""); !errors.Is(err, ErrInvalid) {
			t.Errorf("Finish with outcome pending: got %v, want ErrInvalid", err)
		}
	})
}

func TestLogConcurrentFinishKeepsOneOutcome(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)
		e := sampleEntry(uid("exec#finishrace"))
		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		const racers = 10
		errs := make([]error, racers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				<-start
				errs[i] = log.Finish(ctx, e.ID, OutcomeOK, fmt.Sprintf("finished by %d", i), "")
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("two finishes succeeded: %d and %d", winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, ErrAlreadyFinished):
				t.Errorf("racer %d: got %v, want ErrAlreadyFinished", i, err)
			}
		}
		if winner < 0 {
			t.Fatal("no finish succeeded")
		}
		if got, _ := log.Get(ctx, e.ID); got.Message != fmt.Sprintf("finished by %d", winner) {
			t.Errorf("stored message %q, want the winner's (%d)", got.Message, winner)
		}
	})
}

func TestLogRecord(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)

		denied := sampleEntry(uid("cmd#denied"))
		denied.Decision, denied.DenyReason = Denied, "not in group support-admins"
		if err := log.Record(ctx, denied); err != nil {
			t.Fatalf("Record denied: %v", err)
		}
		if err := log.Record(ctx, denied); !errors.Is(err, ErrDuplicate) {
			t.Fatalf("Record twice: got %v, want ErrDuplicate", err)
		}
		got, err := log.Get(ctx, denied.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Decision != Denied || got.DenyReason != denied.DenyReason || got.Outcome != "" {
			t.Errorf("denied entry read back as %+v", got)
		}
		// A single-phase entry is final: Finish cannot change it.
		if err := log.Finish(ctx, denied.ID, OutcomeOK, "", ""); !errors.Is(err, ErrAlreadyFinished) {
			t.Errorf("Finish of a recorded entry: got %v, want ErrAlreadyFinished", err)
		}

		read := sampleEntry(uid("cmd#read"))
		read.Action, read.Decision, read.Outcome, read.Message = "show", Allowed, OutcomeOK, "1 user"
		if err := log.Record(ctx, read); err != nil {
			t.Fatalf("Record read: %v", err)
		}
		if got, err := log.Get(ctx, read.ID); err != nil || got.Outcome != OutcomeOK || got.Message != "1 user" {
			t.Errorf("read entry: %+v, %v", got, err)
		}

		for name, bad := range map[string]Entry{
			"pending outcome":     {ID: uid("x"), Action: "a", Decision: Allowed, Outcome: OutcomePending},
			"allowed, no outcome": {ID: uid("x"), Action: "a", Decision: Allowed},
			"no decision":         {ID: uid("x"), Action: "a", Outcome: OutcomeOK},
			"no id":               {Action: "a", Decision: Denied},
			"no action":           {ID: uid("x"), Decision: Denied},
			"unknown outcome":     {ID: uid("x"), Action: "a", Decision: Denied, Outcome: "maybe"},
		} {
			if err := log.Record(ctx, bad); !errors.Is(err, ErrInvalid) {
				t.Errorf("Record, %s: got %v, want ErrInvalid", name, err)
			}
		}
		if err := log.Begin(ctx, Entry{ID: uid("x"), Action: "a", Decision: Denied}); !errors.Is(err, ErrInvalid) {
			t.Errorf("Begin of a denial: got %v, want ErrInvalid", err)
		}
	})
}

func TestLogGetNotFound(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		for _, id := range []string{uid("nope"), ""} {
			if _, err := log.Get(ctxT(t), id); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get(%q): got %v, want ErrNotFound", id, err)
			}
		}
	})
}

func TestLogRedactsSecretsAndTruncates(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)
		e := sampleEntry(uid("cmd#secret"))
		e.Params = map[string]string{
			"password": "Hunter2!", "NewPassword": "x", "temporary_PASSWORD": "y", "access_token": "z",
			"ClientSecret": "s", "code": "123456", "mfaCode": "654321", "email": "bob@example.com",
		}
		e.Reason = strings.Repeat("r", 2*MaxText)
		e.Actor.Name = strings.Repeat("é", MaxParamValue)
		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		if e.Params["password"] != "Hunter2!" {
			t.Error("Begin modified the caller's Params map")
		}
		if err := log.Finish(ctx, e.ID, OutcomeError, strings.Repeat("m", 3*MaxText), ""); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		got, err := log.Get(ctx, e.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		for k, v := range got.Params {
			if want := redacted; k == "email" && v != "bob@example.com" || k != "email" && v != want {
				t.Errorf("stored params[%q] = %q", k, v)
			}
		}
		if len(got.Params) != len(e.Params) {
			t.Errorf("stored %d params, want %d", len(got.Params), len(e.Params))
		}
		if len(got.Reason) > MaxText+len("…") || len(got.Message) > MaxText+len("…") || len(got.Actor.Name) > MaxParamValue+len("…") {
			t.Errorf("long fields kept: reason %d, message %d, name %d bytes", len(got.Reason), len(got.Message), len(got.Actor.Name))
		}
		// What a reader gets is a copy: changing it changes nothing stored.
		got.Params["email"] = "changed"
		if again, _ := log.Get(ctx, e.ID); again.Params["email"] != "bob@example.com" {
			t.Error("changing a read entry's Params changed the stored entry")
		}
	})
}

func TestLogRetentionSetsExpiry(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		const retention = 90 * 24 * time.Hour
		now := time.Now().UTC()
		log := open(retention, WithClock(func() time.Time { return now }))
		e := sampleEntry(uid("cmd#ttl"))
		if err := log.Begin(ctxT(t), e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		got, _ := log.Get(ctxT(t), e.ID)
		if want := now.Add(retention).Truncate(time.Second); !got.ExpiresAt.Equal(want) {
			t.Errorf("ExpiresAt = %v, want %v (now + retention, whole seconds)", got.ExpiresAt, want)
		}
		forever := open(0)
		e2 := sampleEntry(uid("cmd#forever"))
		if err := forever.Begin(ctxT(t), e2); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		if got, _ := forever.Get(ctxT(t), e2.ID); !got.ExpiresAt.IsZero() {
			t.Errorf("retention 0: ExpiresAt = %v, want none", got.ExpiresAt)
		}
	})
}

func TestLogLongIDsAndNames(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)
		e := sampleEntry(uid("cmd#") + strings.Repeat("é#~", 800))
		e.Target.Username = uid("user") + strings.Repeat("u", 2000)
		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("Begin with a 4 KB id: %v", err)
		}
		if err := log.Begin(ctx, e); !errors.Is(err, ErrDuplicate) {
			t.Fatalf("second Begin: got %v, want ErrDuplicate", err)
		}
		if err := log.Finish(ctx, e.ID, OutcomeOK, "", ""); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		got, err := log.Get(ctx, e.ID)
		if err != nil || got.ID != e.ID || got.Target.Username != e.Target.Username {
			t.Fatalf("Get: id/username not preserved (err %v)", err)
		}
		list, _, err := log.ByTarget(ctx, e.Target.Pool, e.Target.Username, 5, "")
		if err != nil || len(list) != 1 || list[0].ID != e.ID {
			t.Fatalf("ByTarget: %d entries, err %v", len(list), err)
		}
	})
}

// The indexes are eventually consistent in AWS; DynamoDB Local updates them immediately,
// which is what lets these tests list entries right after writing them.
func TestLogByTargetAndByActorNewestFirstWithPaging(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)
		base := time.Now().UTC().Truncate(time.Second)
		pool, user := "us-east-1_q", uid("carol")
		team, alice, bob := uid("T"), "UALICE", "UBOB"

		// Seven entries about carol, written out of order, alternating between two actors;
		// two share a timestamp (the id breaks the tie). Plus noise about another user.
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

		got, sizes := collect(t, func(c string) ([]Entry, string, error) { return log.ByTarget(ctx, pool, user, 3, c) })
		if fmt.Sprint(got) != fmt.Sprint(wantAll) || fmt.Sprint(sizes) != "[3 3 1]" {
			t.Errorf("ByTarget pages %v: ids %v, want %v", sizes, got, wantAll)
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
		got, sizes = collect(t, func(c string) ([]Entry, string, error) { return log.ByActor(ctx, team, alice, 2, c) })
		if fmt.Sprint(got) != fmt.Sprint(wantAlice) || fmt.Sprint(sizes) != "[2 2]" {
			t.Errorf("ByActor pages %v: ids %v, want %v", sizes, got, wantAlice)
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
	})
}

func TestLogOpenIntentsListsUnfinishedBegins(t *testing.T) {
	t.Parallel()
	forEachLog(t, ownStorage, func(t *testing.T, open logOpener) { // reads the whole open index
		t0 := time.Now().UTC().Truncate(time.Second)
		log := open(time.Hour, WithClock(func() time.Time { return t0 }))
		ctx := ctxT(t)
		begin := func(name string, at time.Duration) Entry {
			e := sampleEntry(uid("exec#" + name))
			e.Time = t0.Add(at)
			if err := log.Begin(ctx, e); err != nil {
				t.Fatalf("Begin %s: %v", name, err)
			}
			return e
		}
		crashed := begin("crashed", -10*time.Minute)
		orphan := begin("orphan", -5*time.Minute)
		finished := begin("finished", -8*time.Minute)
		boundary := begin("boundary", -time.Minute) // starts exactly at startedBefore
		running := begin("running", 0)
		if err := log.Finish(ctx, finished.ID, OutcomeError, "throttled", ""); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		denied := sampleEntry(uid("cmd#denied"))
		denied.Time, denied.Decision = t0.Add(-20*time.Minute), Denied
		if err := log.Record(ctx, denied); err != nil {
			t.Fatalf("Record: %v", err)
		}

		cutoff := t0.Add(-time.Minute)
		got, err := log.OpenIntents(ctx, cutoff, 10)
		if err != nil {
			t.Fatalf("OpenIntents: %v", err)
		}
		if want := fmt.Sprint([]string{crashed.ID, orphan.ID}); idList(got, func(e Entry) string { return e.ID }) != want {
			t.Errorf("OpenIntents before %v = %s, want %s (oldest first; finished, recorded, boundary %s and running %s left out)",
				cutoff, idList(got, func(e Entry) string { return e.ID }), want, boundary.ID, running.ID)
		}
		if len(got) > 0 && (got[0].Outcome != OutcomePending || got[0].Target != crashed.Target || got[0].Action != crashed.Action) {
			t.Errorf("open intent read back as %+v", got[0])
		}
		if first, _ := log.OpenIntents(ctx, cutoff, 1); len(first) != 1 || first[0].ID != crashed.ID {
			t.Errorf("OpenIntents with limit 1 = %v, want only the oldest", idList(first, func(e Entry) string { return e.ID }))
		}

		// Closing the orphan (e.g. by a reconciler that checked Cognito) takes it off the list.
		if err := log.Finish(ctx, orphan.ID, OutcomeError, "outcome unknown: bot restarted", ""); err != nil {
			t.Fatalf("Finish orphan: %v", err)
		}
		later, err := log.OpenIntents(ctx, t0.Add(time.Hour), 10)
		if want := fmt.Sprint([]string{crashed.ID, boundary.ID, running.ID}); err != nil || idList(later, func(e Entry) string { return e.ID }) != want {
			t.Errorf("OpenIntents an hour on = %s (err %v), want %s", idList(later, func(e Entry) string { return e.ID }), err, want)
		}
		if _, err := log.OpenIntents(ctx, time.Time{}, 10); !errors.Is(err, ErrInvalid) {
			t.Errorf("OpenIntents without a time: got %v, want ErrInvalid", err)
		}
	})
}

func TestLogCancelledContextIsUnavailable(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		e := sampleEntry(uid("cmd#cancelled"))
		if err := log.Begin(ctxT(t), e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		for name, call := range map[string]func() error{
			"Begin":       func() error { return log.Begin(ctx, sampleEntry(uid("cmd#never"))) },
			"Finish":      func() error { return log.Finish(ctx, e.ID, OutcomeOK, "", "") },
			"Get":         func() error { _, err := log.Get(ctx, e.ID); return err },
			"ByActor":     func() error { _, _, err := log.ByActor(ctx, "T1", "U1", 5, ""); return err },
			"OpenIntents": func() error { _, err := log.OpenIntents(ctx, time.Now(), 5); return err },
		} {
			if err := call(); !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrDuplicate) {
				t.Errorf("%s with a cancelled context: got %v, want ErrUnavailable", name, err)
			}
		}
		// Nothing was written: the intent is still open.
		if got, _ := log.Get(ctxT(t), e.ID); got.Outcome != OutcomePending {
			t.Errorf("outcome after a cancelled Finish: %q", got.Outcome)
		}
	})
}

// A lookup by email begins with the email as its target; once resolved, the user's
// own history must list it, with the sub, and the email's must not.
func TestLogFinishResolvedMovesTheEntryToTheResolvedUser(t *testing.T) {
	t.Parallel()
	forEachLog(t, sharedStorage, func(t *testing.T, open logOpener) {
		log := open(time.Hour)
		ctx := ctxT(t)
		pool, query, user := "us-east-1_r", uid("a@example.com"), uid("alice")
		e := sampleEntry(uid("find#lookup"))
		e.Target = Target{Pool: pool, Username: query}
		if err := log.Begin(ctx, e); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		if err := log.FinishResolved(ctx, e.ID, OutcomeOK, "1 match", "", Target{Pool: pool, Username: user, Sub: "sub-1"}); err != nil {
			t.Fatalf("FinishResolved: %v", err)
		}
		got, err := log.Get(ctx, e.ID)
		if err != nil || got.Target != (Target{Pool: pool, Username: user, Sub: "sub-1"}) || got.Outcome != OutcomeOK {
			t.Fatalf("Get: %+v, %v; want target resolved to %s/sub-1 and outcome ok", got.Target, err, user)
		}
		byUser, _, err := log.ByTarget(ctx, pool, user, 10, "")
		if err != nil || len(byUser) != 1 || byUser[0].ID != e.ID {
			t.Errorf("ByTarget(resolved user) = %d entries, %v; want the lookup", len(byUser), err)
		}
		byQuery, _, err := log.ByTarget(ctx, pool, query, 10, "")
		if err != nil || len(byQuery) != 0 {
			t.Errorf("ByTarget(query) = %d entries, %v; want none", len(byQuery), err)
		}
		if err := log.FinishResolved(ctx, e.ID, OutcomeError, "again", "", Target{Pool: pool, Username: "mallory"}); !errors.Is(err, ErrAlreadyFinished) {
			t.Errorf("second FinishResolved: %v, want ErrAlreadyFinished", err)
		}
	})
}

// An intent is due by its deadline, not its start: a long export still within its
// deadline is not listed as abandoned, however long ago it began.
func TestLogOpenIntentsWaitForTheDeadline(t *testing.T) {
	t.Parallel()
	forEachLog(t, ownStorage, func(t *testing.T, open logOpener) {
		t0 := time.Now().UTC().Truncate(time.Second)
		log := open(time.Hour, WithClock(func() time.Time { return t0 }))
		ctx := ctxT(t)
		long := sampleEntry(uid("export#long"))
		long.Time, long.Deadline = t0.Add(-20*time.Minute), t0.Add(10*time.Minute)
		short := sampleEntry(uid("exec#short"))
		short.Time, short.Deadline = t0.Add(-20*time.Minute), t0.Add(-19*time.Minute)
		for _, e := range []Entry{long, short} {
			if err := log.Begin(ctx, e); err != nil {
				t.Fatalf("Begin: %v", err)
			}
		}
		got, err := log.OpenIntents(ctx, t0.Add(-5*time.Minute), 10)
		if err != nil || idList(got, func(e Entry) string { return e.ID }) != fmt.Sprint([]string{short.ID}) {
			t.Fatalf("OpenIntents = %v, %v; want only %s (the export is within its deadline)", idList(got, func(e Entry) string { return e.ID }), err, short.ID)
		}
		if back, _ := log.Get(ctx, long.ID); !back.Deadline.Equal(long.Deadline) {
			t.Errorf("deadline read back as %v, want %v", back.Deadline, long.Deadline)
		}
	})
}
