package audit

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// recordingAPI is a table.API fake for checks that need no emulator: it records the
// last PutItem and UpdateItem and answers UpdateItem and GetItem from fields. Unlisted methods panic.
type recordingAPI struct {
	table.API
	put       *dynamodb.PutItemInput
	update    *dynamodb.UpdateItemInput
	updateErr error
	getItem   map[string]types.AttributeValue
	gets      int
}

func (f *recordingAPI) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.put = in
	return &dynamodb.PutItemOutput{}, nil
}

func (f *recordingAPI) UpdateItem(_ context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	f.update = in
	return &dynamodb.UpdateItemOutput{}, f.updateErr
}

func (f *recordingAPI) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if pk, _ := in.Key[table.AttrPK].(*types.AttributeValueMemberS); strings.HasPrefix(pk.Value, "CHAINHEAD#") {
		return &dynamodb.GetItemOutput{}, nil // every chain starts empty
	}
	f.gets++
	return &dynamodb.GetItemOutput{Item: f.getItem}, nil
}

// TransactWriteItems records the transaction's put and update (an audit write has at
// most one of each besides the chain head's, which comes first).
func (f *recordingAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	for _, op := range in.TransactItems[1:] {
		if p := op.Put; p != nil {
			f.put = &dynamodb.PutItemInput{TableName: p.TableName, Item: p.Item, ConditionExpression: p.ConditionExpression, ExpressionAttributeNames: p.ExpressionAttributeNames}
		}
		if u := op.Update; u != nil {
			f.update = &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression,
				ConditionExpression: u.ConditionExpression, ExpressionAttributeNames: u.ExpressionAttributeNames}
		}
	}
	return &dynamodb.TransactWriteItemsOutput{}, nil
}

func TestBeginIsAConditionalPut(t *testing.T) {
	t.Parallel()
	api := &recordingAPI{}
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600))
	log := NewLog(api, "audit", time.Hour, WithClock(func() time.Time { return at }))
	if err := log.Begin(t.Context(), sampleEntry("cmd#1")); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	in := api.put
	if cond := resolveNames(aws.ToString(in.ConditionExpression), in.ExpressionAttributeNames); cond != "attribute_not_exists (pk)" || aws.ToString(in.TableName) != "audit" {
		t.Errorf("PutItem condition %q table %q", cond, aws.ToString(in.TableName))
	}
	s := func(k string) string { v, _ := in.Item[k].(*types.AttributeValueMemberS); return v.Value }
	if s("pk") != "ENTRY#cmd#1" || s("outcome") != "pending" || s("time") != "2026-01-02T02:04:05.000000600Z" ||
		s("target_sk") != "2026-01-02T02:04:05.000000600Z#cmd#1" || s("actor_pk") != "ACTOR#T1#U1" {
		t.Errorf("stored item %v", in.Item)
	}
	if n, ok := in.Item["ttl"].(*types.AttributeValueMemberN); !ok || n.Value != "1767323045" {
		t.Errorf("ttl = %#v, want Number 1767323045", in.Item["ttl"])
	}
}

// resolveNames replaces the expression builder's #name placeholders by the names.
func resolveNames(expr string, names map[string]string) string {
	var pairs []string
	for k, v := range names {
		pairs = append(pairs, k, v)
	}
	return strings.NewReplacer(pairs...).Replace(expr)
}

func TestFinishIsConditionalOnPendingAndClosesTheIntent(t *testing.T) {
	t.Parallel()
	api := &recordingAPI{}
	pending := toEntryItem(Entry{ID: "cmd#1", Action: "a", Decision: Allowed, Outcome: OutcomePending})
	pending.Attrs = chain.Attrs{ChainPK: chain.Partition(1), ChainSK: chain.SortKey(time.Now(), 1), ChainKind: chain.KindIntent, ChainHash: "h"}
	api.getItem, _ = table.Marshal(pending)
	if err := NewLog(api, "audit", time.Hour).Finish(t.Context(), "cmd#1", OutcomeOK, "done", ""); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	in := api.update
	cond := resolveNames(aws.ToString(in.ConditionExpression), in.ExpressionAttributeNames)
	upd := resolveNames(aws.ToString(in.UpdateExpression), in.ExpressionAttributeNames)
	if !strings.Contains(cond, "attribute_exists (pk)") || !strings.Contains(cond, "outcome = :") {
		t.Errorf("condition %q does not require an existing pending entry", cond)
	}
	if !strings.Contains(upd, "REMOVE open_pk, open_sk") && !strings.Contains(upd, "REMOVE open_sk, open_pk") {
		t.Errorf("update %q does not take the entry out of the open index", upd)
	}
}

func TestConditionFailureWithoutOldItem(t *testing.T) {
	t.Parallel()
	// An endpoint that ignores ReturnValuesOnConditionCheckFailure: a consistent read
	// decides between "not found" and "already finished".
	ccf := &types.ConditionalCheckFailedException{Message: aws.String("failed")}
	api := &recordingAPI{updateErr: ccf}
	log := NewLog(api, "audit", time.Hour)
	if err := log.Finish(t.Context(), "x", OutcomeOK, "", ""); !errors.Is(err, ErrNotFound) || api.gets != 1 {
		t.Errorf("Finish, no item: got %v after %d reads, want ErrNotFound", err, api.gets)
	}
	api.getItem, _ = table.Marshal(toEntryItem(Entry{ID: "x", Action: "a", Decision: Allowed, Outcome: OutcomeOK}))
	if err := log.Finish(t.Context(), "x", OutcomeOK, "", ""); !errors.Is(err, ErrAlreadyFinished) {
		t.Errorf("Finish, finished item: got %v, want ErrAlreadyFinished", err)
	}
}

func TestSanitizeParams(t *testing.T) {
	t.Parallel()
	in := map[string]string{"Password": "p", "refreshToken": "t", "API_SECRET": "s", "confirmation_code": "c", "group": "admins"}
	out := SanitizeParams(in)
	for k, v := range out {
		if (k == "group") != (v != redacted) {
			t.Errorf("params[%q] = %q", k, v)
		}
	}
	if in["Password"] != "p" {
		t.Error("sanitizeParams modified its input")
	}
	if SanitizeParams(nil) != nil {
		t.Error("sanitizeParams(nil) != nil")
	}
	big := map[string]string{"v": strings.Repeat("é", MaxParamValue)}
	if v := SanitizeParams(big)["v"]; len(v) > MaxParamValue+len("…") || !utf8.ValidString(v) {
		t.Errorf("long value truncated to %d bytes, valid UTF-8 %v", len(v), utf8.ValidString(v))
	}
}

func TestNewClientDisablesChecksumOnlyForEmulators(t *testing.T) {
	t.Parallel()
	for endpoint, want := range map[string]bool{
		"": false,
		"https://dynamodb.us-east-1.amazonaws.com":     false,
		"https://dynamodb.cn-north-1.amazonaws.com.cn": false,
		"http://127.0.0.1:8000":                        true,
		"http://localhost:4566":                        true,
	} {
		cfg := aws.Config{Region: "us-east-1"}
		if endpoint != "" {
			cfg.BaseEndpoint = aws.String(endpoint)
		}
		if got := NewClient(cfg).Options().DisableValidateResponseChecksum; got != want {
			t.Errorf("NewClient(%q): checksum validation disabled = %v, want %v", endpoint, got, want)
		}
	}
}

func TestTransitionErrorMatches(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for _, c := range []struct {
		state   State
		expires time.Time
		expired bool
	}{
		{StateExecuting, now.Add(time.Hour), false},
		{StatePending, now.Add(time.Hour), false},
		{StatePending, now, true},
		{StateExpired, now.Add(time.Hour), true},
	} {
		err := error(&TransitionError{From: StatePending, To: StateExecuting, At: now, Current: Pending{ID: "p", State: c.state, ExpiresAt: c.expires}})
		if !errors.Is(err, ErrConflict) || errors.Is(err, ErrExpired) != c.expired || errors.Is(err, ErrNotFound) {
			t.Errorf("state %s: Is(ErrConflict)=%v Is(ErrExpired)=%v", c.state, errors.Is(err, ErrConflict), errors.Is(err, ErrExpired))
		}
	}
}

func TestNewIDIsUniqueAndURLSafe(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	base32 := regexp.MustCompile(`^[A-Z2-7]+$`)
	for range 10000 {
		id := NewID()
		if len(id) != 26 || !base32.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}
