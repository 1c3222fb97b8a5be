package chain

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// ExportColumns are the fields of an exported record, in the order CSV writes
// them. They are the stored strings, so a receiver can recompute every link's hash
// (the README's "Exporting to a SIEM" says how); params is a JSON object.
var ExportColumns = []string{
	"chain_pk", "chain_sk", "chain_kind", "chain_prev", "chain_prev_expires", "chain_prev_id", "chain_hash",
	"id", "time", "actor_user_id", "actor_team_id", "actor_name", "channel", "action",
	"target_pool", "target_username", "target_sub", "intent_username", "intent_sub", "params",
	"decision", "deny_reason", "outcome", "message", "cognito_request_id", "slack_ref", "approval_id",
	"reason", "deadline", "finished_at", "entry_hash", "resolved_username", "resolved_sub",
}

// ExportRecord is one link of the log as export writes it: ExportColumns to values
// ("" for a field the record does not have).
type ExportRecord map[string]string

// Export calls emit for every link (entries and outcomes) whose chain time is at or
// after since and before until (zero: no bound), oldest first, reading all chains
// at once a page at a time so memory stays the same however many there are. It
// stops at emit's first error and returns it. Entries from before the chain
// existed are not in any chain and are not exported.
func Export(ctx context.Context, t table.Table, since, until time.Time, emit func(ExportRecord) error) error {
	after, before := "", ""
	if !since.IsZero() {
		// A chain sort key is "<time>#<seq>", so every key of a time at or after
		// since sorts above the bare time.
		after = table.FormatTime(since)
	}
	if !until.IsZero() {
		before = table.FormatTime(until)
	}
	m := NewMergedWalk(t, false, after, before, nil)
	for {
		it, _, err := m.Next(ctx)
		if err != nil {
			return fmt.Errorf("exporting the audit log: %w", err)
		}
		if it == nil {
			return nil
		}
		rec, err := exportRecord(it)
		if err != nil {
			return fmt.Errorf("exporting the audit log: %w", err)
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
}

// exportRecord flattens a stored link into the export's fields.
func exportRecord(it table.Item) (ExportRecord, error) {
	var flat map[string]any
	if err := attributevalue.UnmarshalMap(it, &flat); err != nil {
		return nil, fmt.Errorf("decoding a link: %w", err)
	}
	rec := make(ExportRecord, len(ExportColumns))
	for _, col := range ExportColumns {
		switch v := flat[col].(type) {
		case string:
			rec[col] = v
		case map[string]any:
			rec[col] = paramsJSON(v)
		}
	}
	return rec, nil
}

// paramsJSON encodes params with sorted keys (encoding/json sorts map keys).
func paramsJSON(p map[string]any) string {
	if len(p) == 0 {
		return ""
	}
	ordered := make(map[string]any, len(p))
	for _, k := range slices.Sorted(maps.Keys(p)) {
		ordered[k] = p[k]
	}
	b, _ := json.Marshal(ordered)
	return string(b)
}
