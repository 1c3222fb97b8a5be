package audit

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func sampleEntry(id string) Entry {
	return Entry{
		ID:       id,
		Actor:    Actor{UserID: "U1", TeamID: "T1", Name: "alice"},
		Channel:  "C1",
		Action:   "disable",
		Target:   Target{Pool: "us-east-1_pool", Username: "bob-" + id, Sub: "sub-1"},
		Params:   map[string]string{"reason": "offboarding"},
		SlackRef: "env-1",
		Reason:   "ticket 42",
	}
}

// rawItem reads the stored item directly, bypassing the package's decoding.
func rawItem(t *testing.T, client *dynamodb.Client, table, pk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := client.GetItem(ctxT(t), &dynamodb.GetItemInput{
		TableName: aws.String(table), Key: keyOf(pk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

func TestBeginTwiceIsDuplicate(t *testing.T) {
	client, tables := sharedTables(t)
	at := time.Now().UTC().Truncate(time.Second)
	log := NewLog(client, tables.Audit, 24*time.Hour, WithClock(func() time.Time { return at }))
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
	// Exactly one item: the target's index partition holds one entry.
	list, _, err := log.ByTarget(ctx, e.Target.Pool, e.Target.Username, 10, "")
	if err != nil || len(list) != 1 {
		t.Fatalf("ByTarget after duplicate Begin: %d entries, err %v; want 1", len(list), err)
	}
}

func TestFinish(t *testing.T) {
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	ctx := ctxT(t)
	e := sampleEntry(uid("exec#pending"))
	if err := log.Begin(ctx, e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if err := log.Finish(ctx, e.ID, OutcomeOK, "user disabled", "req-123"); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	err := log.Finish(ctx, e.ID, OutcomeError, "second finish", "req-456")
	if !errors.Is(err, ErrAlreadyFinished) {
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
}

func TestRecord(t *testing.T) {
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
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
}

func TestGetNotFound(t *testing.T) {
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	for _, id := range []string{uid("nope"), ""} {
		if _, err := log.Get(ctxT(t), id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q): got %v, want ErrNotFound", id, err)
		}
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	e := sampleEntry(uid("cmd#secret"))
	e.Params = map[string]string{
		"password": "Hunter2!", "NewPassword": "x", "temporary_PASSWORD": "y", "access_token": "z",
		"ClientSecret": "s", "code": "123456", "mfaCode": "654321", "email": "bob@example.com",
	}
	if err := log.Begin(ctxT(t), e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if e.Params["password"] != "Hunter2!" {
		t.Error("Begin modified the caller's Params map")
	}
	item := rawItem(t, client, tables.Audit, entryKey(e.ID))
	params := item["params"].(*types.AttributeValueMemberM).Value
	for k, v := range params {
		s := v.(*types.AttributeValueMemberS).Value
		want := redacted
		if k == "email" {
			want = "bob@example.com"
		}
		if s != want {
			t.Errorf("stored params[%q] = %q, want %q", k, s, want)
		}
	}
	if len(params) != len(e.Params) {
		t.Errorf("stored %d params, want %d", len(params), len(e.Params))
	}
}

func TestTTLIsEpochSecondsNumber(t *testing.T) {
	client, tables := sharedTables(t)
	const retention = 90 * 24 * time.Hour
	log := NewLog(client, tables.Audit, retention)
	e := sampleEntry(uid("cmd#ttl"))
	if err := log.Begin(ctxT(t), e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	n, ok := rawItem(t, client, tables.Audit, entryKey(e.ID))[attrTTL].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("ttl attribute is not a Number")
	}
	secs, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		t.Fatalf("ttl %q: %v", n.Value, err)
	}
	want := time.Now().Add(retention).Unix()
	if secs < want-60 || secs > want+60 {
		t.Errorf("ttl = %d, want about %d (now + retention, in seconds)", secs, want)
	}
	got, _ := log.Get(ctxT(t), e.ID)
	if got.ExpiresAt.Unix() != secs {
		t.Errorf("Entry.ExpiresAt = %v, want %d", got.ExpiresAt, secs)
	}

	forever := NewLog(client, tables.Audit, 0)
	e2 := sampleEntry(uid("cmd#forever"))
	if err := forever.Begin(ctxT(t), e2); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if _, ok := rawItem(t, client, tables.Audit, entryKey(e2.ID))[attrTTL]; ok {
		t.Error("retention 0 still wrote a ttl attribute")
	}
}

func TestLongIDsAreHashedIntoKeys(t *testing.T) {
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
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
}
