package audit

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// maxSearchRead bounds how many links one Search call reads, so a rare match costs a
// bounded number of reads per page; the cursor then carries on where it stopped.
const maxSearchRead = 2000

// Search lists the entries match accepts, newest first, at most limit (default 20,
// at most 100) per page. Pass the returned cursor to go on ("" means the log is
// exhausted). match sees every chained entry (not outcomes) with its current
// outcome; there is no index for what it tests, so one call reads at most a few
// thousand entries and may return fewer than limit (even none) with a cursor:
// the caller shows what it has and offers "more". Entries from before the chain
// existed are not searched.
func (l *logCore) Search(ctx context.Context, match func(Entry) bool, limit int, cursor string) ([]Entry, string, error) {
	limit = table.PageSize(limit)
	positions, err := decodeSearchCursor(cursor)
	if err != nil {
		return nil, "", fmt.Errorf("searching the audit log: %w", err)
	}
	m := chain.NewMergedWalk(l.t, true, "", "", positions)
	positions = make([]string, chain.ChainShards)
	var found []Entry
	for read := 0; read < maxSearchRead && len(found) < limit; read++ {
		it, shard, err := m.Next(ctx)
		if err != nil {
			return nil, "", fmt.Errorf("searching the audit log: %w", err)
		}
		if it == nil {
			return found, "", nil
		}
		positions[shard] = table.StringAttr(it, table.AttrChainSK)
		if table.StringAttr(it, chain.AttrChainKind) == chain.KindOutcome {
			continue
		}
		var e chain.EntryItem
		if err := attributevalue.UnmarshalMap(it, &e); err != nil {
			return nil, "", fmt.Errorf("searching the audit log: decoding an entry: %w", err)
		}
		if entry := entryOf(e); match(entry) {
			found = append(found, entry)
		}
	}
	// A chain resumes below the last link read from it, or where the cursor had it;
	// "-" marks a chain read to its end.
	done := true
	for shard, w := range m.Walks {
		it, err := w.Peek(ctx)
		if err != nil {
			return nil, "", fmt.Errorf("searching the audit log: %w", err)
		}
		switch {
		case it == nil:
			positions[shard] = chain.Done
		case positions[shard] == "":
			positions[shard] = w.Before
			done = false
		default:
			done = false
		}
	}
	if done {
		return found, "", nil
	}
	return found, encodeSearchCursor(positions), nil
}

// A search cursor is, per chain, the sort key below which the search continues.
func encodeSearchCursor(positions []string) string {
	b, _ := json.Marshal(map[string][]string{"before": positions})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSearchCursor(cursor string) ([]string, error) {
	if cursor == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, fmt.Errorf("%w: decoding cursor: %v", ErrInvalid, err)
	}
	var c map[string][]string
	if err := json.Unmarshal(b, &c); err != nil || len(c["before"]) != chain.ChainShards || len(c) != 1 {
		return nil, fmt.Errorf("%w: cursor belongs to another listing", ErrInvalid)
	}
	for _, p := range c["before"] {
		if _, _, ok := chain.ParseSortKey(p); p != "" && p != chain.Done && !ok {
			return nil, fmt.Errorf("%w: cursor belongs to another listing", ErrInvalid)
		}
	}
	return c["before"], nil
}
