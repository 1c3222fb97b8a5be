package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// Tables names the two tables the bot uses.
type Tables struct {
	// Audit holds the append-only audit log (Log).
	Audit string
	// State holds pending actions and sessions (state.Store).
	State string
}

// migrateTimeout bounds the wait for tables and indexes to become ACTIVE when ctx has
// no deadline of its own.
const migrateTimeout = 10 * time.Minute

// Migrate creates the audit and state tables (on-demand billing) with every global
// secondary index, enables TTL on the ttl attribute, and waits until everything is
// ACTIVE. It is idempotent: on a second run it only describes what exists and changes
// nothing (TTL is checked with DescribeTimeToLive first, because enabling it twice is a
// ValidationException); an existing table that lacks an index gets it added. A table
// that exists with a different key schema is an error, never silently altered. logf
// (may be nil) receives one line per step.
func Migrate(ctx context.Context, client *dynamodb.Client, t Tables, logf func(format string, args ...any)) error {
	return migrate(ctx, client, t, logf)
}

func migrate(ctx context.Context, api table.API, t Tables, logf func(format string, args ...any)) error {
	if t.Audit == "" || t.State == "" || t.Audit == t.State {
		return fmt.Errorf("migrating tables: %w: need two distinct table names", ErrInvalid)
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, migrateTimeout)
		defer cancel()
	}
	for _, spec := range []table.Spec{table.AuditSpec(t.Audit), table.StateSpec(t.State)} {
		if err := ensureTable(ctx, api, spec, logf); err != nil {
			return fmt.Errorf("migrating table %q: %w", spec.Name, err)
		}
		if err := ensureTTL(ctx, api, spec.Name, logf); err != nil {
			return fmt.Errorf("migrating table %q: %w", spec.Name, err)
		}
	}
	return nil
}

// ensureTable creates the table, or checks an existing one and adds missing indexes.
func ensureTable(ctx context.Context, api table.API, spec table.Spec, logf func(string, ...any)) error {
	desc, err := api.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(spec.Name)})
	var rnf *types.ResourceNotFoundException
	switch {
	case errors.As(err, &rnf):
		logf("creating table %s", spec.Name)
		_, err = api.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:              aws.String(spec.Name),
			BillingMode:            types.BillingModePayPerRequest,
			KeySchema:              spec.KeySchema(),
			AttributeDefinitions:   spec.Attributes(),
			GlobalSecondaryIndexes: spec.Indexes,
		})
		var inUse *types.ResourceInUseException
		if err != nil && !errors.As(err, &inUse) { // in use: a concurrent Migrate won
			return fmt.Errorf("creating table: %w", table.Unavailable(err))
		}
		return waitActive(ctx, api, spec.Name)
	case err != nil:
		return fmt.Errorf("describing table: %w", table.Unavailable(err))
	}
	if !table.SameKeys(desc.Table.KeySchema, spec.KeySchema()) {
		return fmt.Errorf("table exists with a different key schema")
	}
	have := map[string][]types.KeySchemaElement{}
	for _, ix := range desc.Table.GlobalSecondaryIndexes {
		have[aws.ToString(ix.IndexName)] = ix.KeySchema
	}
	logf("table %s exists", spec.Name)
	for _, ix := range spec.Indexes {
		name := aws.ToString(ix.IndexName)
		if keys, ok := have[name]; ok {
			if !table.SameKeys(keys, ix.KeySchema) {
				return fmt.Errorf("index %s exists with a different key schema", name)
			}
			continue
		}
		// DynamoDB takes one index creation per UpdateTable, on an ACTIVE table.
		if err := waitActive(ctx, api, spec.Name); err != nil {
			return err
		}
		logf("adding index %s to table %s", name, spec.Name)
		_, err := api.UpdateTable(ctx, &dynamodb.UpdateTableInput{
			TableName:            aws.String(spec.Name),
			AttributeDefinitions: spec.Attributes(),
			GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
				IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection,
			}}},
		})
		if err != nil {
			return fmt.Errorf("adding index %s: %w", name, table.Unavailable(err))
		}
	}
	return waitActive(ctx, api, spec.Name)
}

// waitActive polls until the table and all its indexes are ACTIVE. The SDK's
// TableExistsWaiter is not used because it ignores index status and polls every 20 s.
func waitActive(ctx context.Context, api table.API, name string) error {
	delay := 50 * time.Millisecond
	for {
		desc, err := api.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("waiting for table: %w", table.Unavailable(err))
		}
		if active(desc.Table) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for table to become active (%s): %w", statuses(desc.Table), table.Unavailable(ctx.Err()))
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Second)
	}
}

// statuses describes the table's and its indexes' states, for a timeout message.
func statuses(t *types.TableDescription) string {
	if t == nil {
		return "no description"
	}
	out := "table " + string(t.TableStatus)
	for _, ix := range t.GlobalSecondaryIndexes {
		out += ", index " + aws.ToString(ix.IndexName) + " " + string(ix.IndexStatus)
	}
	return out
}

// active reports whether a described table and every one of its indexes is ACTIVE.
func active(t *types.TableDescription) bool {
	if t == nil || t.TableStatus != types.TableStatusActive {
		return false
	}
	for _, ix := range t.GlobalSecondaryIndexes {
		if ix.IndexStatus != types.IndexStatusActive {
			return false
		}
	}
	return true
}

// ensureTTL enables TTL on the ttl attribute unless it already is enabled (or enabling).
func ensureTTL(ctx context.Context, api table.API, name string, logf func(string, ...any)) error {
	out, err := api.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		return fmt.Errorf("describing TTL: %w", table.Unavailable(err))
	}
	if d := out.TimeToLiveDescription; d != nil {
		switch d.TimeToLiveStatus {
		case types.TimeToLiveStatusEnabled, types.TimeToLiveStatusEnabling:
			if aws.ToString(d.AttributeName) != table.AttrTTL {
				return fmt.Errorf("TTL is enabled on attribute %q, not %q", aws.ToString(d.AttributeName), table.AttrTTL)
			}
			logf("TTL on table %s already enabled", name)
			return nil
		case types.TimeToLiveStatusDisabling:
			return fmt.Errorf("TTL is being disabled; run the migration again later")
		}
	}
	logf("enabling TTL on table %s (attribute %s)", name, table.AttrTTL)
	_, err = api.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(table.AttrTTL), Enabled: aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("enabling TTL: %w", table.Unavailable(err))
	}
	return nil
}
