package audit

import (
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// Checks of what only DynamoDB shows: the stored items themselves and the requests made.
// The behaviour both backends share is in the contract tests.

// rawItem reads the stored item directly, bypassing the package's decoding.
func rawItem(t *testing.T, client *dynamodb.Client, name, pk string) table.Item {
	t.Helper()
	out, err := client.GetItem(ctxT(t), &dynamodb.GetItemInput{
		TableName: aws.String(name), Key: table.KeyOf(pk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

func TestSecretsNeverReachDynamoDB(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	e := sampleEntry(uid("cmd#secret"))
	e.Params = map[string]string{"password": "Hunter2!", "access_token": "z", "mfaCode": "654321", "email": "bob@example.com"}
	if err := log.Begin(ctxT(t), e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	params := rawItem(t, client, tables.Audit, table.EntryKey(e.ID))["params"].(*types.AttributeValueMemberM).Value
	for k, v := range params {
		s := v.(*types.AttributeValueMemberS).Value
		if want := map[bool]string{true: "bob@example.com", false: redacted}[k == "email"]; s != want {
			t.Errorf("stored params[%q] = %q, want %q", k, s, want)
		}
	}
}

func TestTTLIsEpochSecondsNumber(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	const retention = 90 * 24 * time.Hour
	log := NewLog(client, tables.Audit, retention)
	e := sampleEntry(uid("cmd#ttl"))
	if err := log.Begin(ctxT(t), e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	n, ok := rawItem(t, client, tables.Audit, table.EntryKey(e.ID))[table.AttrTTL].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("ttl attribute is not a Number")
	}
	secs, err := strconv.ParseInt(n.Value, 10, 64)
	if want := time.Now().Add(retention).Unix(); err != nil || secs < want-60 || secs > want+60 {
		t.Errorf("ttl = %s, want about %d (now + retention, in seconds)", n.Value, want)
	}
	forever := NewLog(client, tables.Audit, 0)
	e2 := sampleEntry(uid("cmd#forever"))
	if err := forever.Begin(ctxT(t), e2); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if _, ok := rawItem(t, client, tables.Audit, table.EntryKey(e2.ID))[table.AttrTTL]; ok {
		t.Error("retention 0 still wrote a ttl attribute")
	}
}

func TestOpenIndexKeysExistOnlyWhileOpen(t *testing.T) {
	t.Parallel()
	client, tables := sharedTables(t)
	log := NewLog(client, tables.Audit, time.Hour)
	ctx := ctxT(t)
	e := sampleEntry(uid("exec#sparse"))
	if err := log.Begin(ctx, e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	has := func(id string) bool {
		it := rawItem(t, client, tables.Audit, table.EntryKey(id))
		_, pk := it[table.AttrOpenPK]
		_, sk := it[table.AttrOpenSK]
		return pk && sk
	}
	if !has(e.ID) {
		t.Error("an open intent has no open index keys")
	}
	if err := log.Finish(ctx, e.ID, OutcomeOK, "", ""); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if has(e.ID) {
		t.Error("a finished entry still carries open index keys")
	}
	rec := withOutcome(sampleEntry(uid("cmd#rec")))
	if err := log.Record(ctx, rec); err != nil {
		t.Fatalf("Record: %v", err)
	}
	if has(rec.ID) {
		t.Error("a recorded entry carries open index keys")
	}
}
