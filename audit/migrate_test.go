package audit

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/table"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// describe returns "index(hash,range)" for every GSI of a table, sorted, checking each is
// ACTIVE, plus the TTL status and attribute.
func describe(t *testing.T, client *dynamodb.Client, table string) (indexes []string, ttl string) {
	t.Helper()
	out, err := client.DescribeTable(ctxT(t), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatalf("DescribeTable(%s): %v", table, err)
	}
	if out.Table.TableStatus != types.TableStatusActive {
		t.Errorf("table %s is %s", table, out.Table.TableStatus)
	}
	// DynamoDB Local leaves BillingModeSummary nil; check it where it is reported.
	if b := out.Table.BillingModeSummary; b != nil && b.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("table %s billing mode %s", table, b.BillingMode)
	}
	for _, ix := range out.Table.GlobalSecondaryIndexes {
		if ix.IndexStatus != types.IndexStatusActive || ix.Projection.ProjectionType != types.ProjectionTypeAll {
			t.Errorf("index %s: status %s projection %s", aws.ToString(ix.IndexName), ix.IndexStatus, ix.Projection.ProjectionType)
		}
		indexes = append(indexes, fmt.Sprintf("%s(%s,%s)", aws.ToString(ix.IndexName),
			aws.ToString(ix.KeySchema[0].AttributeName), aws.ToString(ix.KeySchema[1].AttributeName)))
	}
	sort.Strings(indexes)
	tl, err := client.DescribeTimeToLive(ctxT(t), &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatalf("DescribeTimeToLive(%s): %v", table, err)
	}
	d := tl.TimeToLiveDescription
	return indexes, string(d.TimeToLiveStatus) + " " + aws.ToString(d.AttributeName)
}

const (
	wantAuditIndexes = "[by_actor(actor_pk,actor_sk) by_chain(chain_pk,chain_sk) by_open(open_pk,open_sk) by_target(target_pk,target_sk)]"
	wantStateIndexes = "[by_due(due_pk,due_at) by_job(job_pk,job_sk)]"
)

func TestMigrateTwiceIsANoOp(t *testing.T) {
	client := NewClient(testenv.AWSConfig(t))
	// AWS_ENDPOINT_URL_DYNAMODB points at DynamoDB Local, so NewClient applies its fix.
	if !client.Options().DisableValidateResponseChecksum {
		t.Error("NewClient kept CRC32 validation on against DynamoDB Local")
	}
	tables := Tables{Audit: testenv.UniqueName("audit-mig"), State: testenv.UniqueName("state-mig")}
	t.Cleanup(func() { deleteTables(client, tables) })

	for run := 1; run <= 2; run++ {
		var lines []string
		logf := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
		if err := Migrate(ctxT(t), client, tables, logf); err != nil {
			t.Fatalf("Migrate run %d: %v", run, err)
		}
		log := strings.Join(lines, "\n")
		changed := strings.Contains(log, "creating") || strings.Contains(log, "enabling") || strings.Contains(log, "adding")
		if run == 1 && strings.Count(log, "creating table") != 2 {
			t.Errorf("first run did not create both tables:\n%s", log)
		}
		if run == 2 && (changed || strings.Count(log, "already enabled") != 2) {
			t.Errorf("second run changed something:\n%s", log)
		}
		if ix, ttl := describe(t, client, tables.Audit); fmt.Sprint(ix) != wantAuditIndexes || ttl != "ENABLED ttl" {
			t.Errorf("run %d: audit table indexes %v, TTL %q", run, ix, ttl)
		}
		if ix, ttl := describe(t, client, tables.State); fmt.Sprint(ix) != wantStateIndexes || ttl != "ENABLED ttl" {
			t.Errorf("run %d: state table indexes %v, TTL %q", run, ix, ttl)
		}
	}
}

func TestMigrateAddsMissingIndexesAndRefusesForeignTables(t *testing.T) {
	client := NewClient(testenv.AWSConfig(t))
	ctx := ctxT(t)
	bare := Tables{Audit: testenv.UniqueName("audit-bare"), State: testenv.UniqueName("state-bare")}
	foreign := Tables{Audit: testenv.UniqueName("audit-foreign"), State: testenv.UniqueName("state-foreign")}
	t.Cleanup(func() { deleteTables(client, bare); deleteTables(client, foreign) })

	create := func(name string, keys ...types.KeySchemaElement) {
		defs := []types.AttributeDefinition{}
		for _, k := range keys {
			defs = append(defs, table.StringAttrDef(aws.ToString(k.AttributeName)))
		}
		_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest,
			KeySchema: keys, AttributeDefinitions: defs,
		})
		if err != nil {
			t.Fatalf("CreateTable(%s): %v", name, err)
		}
	}
	hash := types.KeySchemaElement{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}
	create(bare.Audit, hash)
	create(bare.State, hash)
	if err := Migrate(ctx, client, bare, t.Logf); err != nil {
		t.Fatalf("Migrate over tables without indexes: %v", err)
	}
	if ix, ttl := describe(t, client, bare.Audit); fmt.Sprint(ix) != wantAuditIndexes || ttl != "ENABLED ttl" {
		t.Errorf("audit table indexes %v, TTL %q", ix, ttl)
	}
	if ix, _ := describe(t, client, bare.State); fmt.Sprint(ix) != wantStateIndexes {
		t.Errorf("state table indexes %v", ix)
	}

	create(foreign.Audit, hash, types.KeySchemaElement{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange})
	err := Migrate(ctx, client, foreign, t.Logf)
	if err == nil || errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "key schema") {
		t.Errorf("Migrate over a table with another key schema: got %v", err)
	}
	for _, bad := range []Tables{{}, {Audit: "x"}, {Audit: "same", State: "same"}} {
		if err := Migrate(ctx, client, bad, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("Migrate(%+v): got %v, want ErrInvalid", bad, err)
		}
	}
}

// A table migrated before OpenIntents existed has by_target and by_actor but no by_open:
// Migrate adds it (waiting until it is ACTIVE), after which open intents are listed, and
// a second run changes nothing.
func TestMigrateAddsOpenIndexToAnExistingAuditTable(t *testing.T) {
	client := NewClient(testenv.AWSConfig(t))
	ctx := ctxT(t)
	tables := Tables{Audit: testenv.UniqueName("audit-old"), State: testenv.UniqueName("state-old")}
	t.Cleanup(func() { deleteTables(client, tables) })
	old := table.AuditSpec(tables.Audit)
	old.Indexes = old.Indexes[:2]
	if _, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(tables.Audit), BillingMode: types.BillingModePayPerRequest,
		KeySchema: old.KeySchema(), AttributeDefinitions: old.Attributes(), GlobalSecondaryIndexes: old.Indexes,
	}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	if ix, _ := describe(t, client, tables.Audit); fmt.Sprint(ix) != "[by_actor(actor_pk,actor_sk) by_target(target_pk,target_sk)]" {
		t.Fatalf("old layout has indexes %v", ix)
	}

	for run := 1; run <= 2; run++ {
		var lines []string
		logf := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
		if err := Migrate(ctx, client, tables, logf); err != nil {
			t.Fatalf("Migrate run %d: %v", run, err)
		}
		added := strings.Contains(strings.Join(lines, "\n"), "adding index by_open")
		if added != (run == 1) {
			t.Errorf("run %d added by_open: %v\n%s", run, added, strings.Join(lines, "\n"))
		}
		if ix, _ := describe(t, client, tables.Audit); fmt.Sprint(ix) != wantAuditIndexes {
			t.Errorf("run %d: audit table indexes %v, want %s", run, ix, wantAuditIndexes)
		}
	}
	log := NewLog(client, tables.Audit, time.Hour)
	e := sampleEntry(uid("exec#after-migrate"))
	if err := log.Begin(ctx, e); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	open, err := log.OpenIntents(ctx, time.Now().Add(time.Minute), 10)
	if err != nil || len(open) != 1 || open[0].ID != e.ID {
		t.Errorf("OpenIntents on the migrated table: %v, %v", open, err)
	}
}
