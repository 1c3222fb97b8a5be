package audit

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// MemoryLog is the audit log kept in process memory, for a sandbox and for tests that
// exercise the bot without DynamoDB. It is not a mock: it has Log's method set and
// rules (the same sentinel errors, ordering, cursors, redaction, truncation and
// retention), because both run the same code over a different table, and the same
// contract tests run against both. It is safe for concurrent use. Entries live as long
// as the process, or until their retention passes (dropped lazily, like DynamoDB's TTL).
type MemoryLog struct {
	logCore
	mem *table.Memory
}

// NewMemoryLog returns an empty MemoryLog. retention and opts mean what they mean for
// NewLog.
func NewMemoryLog(retention time.Duration, opts ...Option) *MemoryLog {
	mem := table.NewMemory(SettingsOf(opts).Clock)
	return &MemoryLog{logCore: newLogCore(mem, retention, opts), mem: mem}
}

// Recent returns up to limit entries (every entry when limit <= 0), newest first,
// whatever their actor or target, so a sandbox page can show the whole log as it grows.
// DynamoDB has no cheap equivalent, which is why only MemoryLog offers it.
func (l *MemoryLog) Recent(limit int) []Entry {
	items := slices.DeleteFunc(l.mem.All(), func(it table.Item) bool { return !strings.HasPrefix(table.StringAttr(it, table.AttrPK), "ENTRY#") })
	recency := func(it table.Item) string {
		return table.SortKey(table.ParseTime(table.StringAttr(it, "time")), table.StringAttr(it, "id"))
	}
	slices.SortFunc(items, func(a, b table.Item) int {
		return cmp.Or(cmp.Compare(recency(b), recency(a)), cmp.Compare(table.StringAttr(b, table.AttrPK), table.StringAttr(a, table.AttrPK)))
	})
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	entries := make([]Entry, 0, len(items))
	for _, it := range items {
		if e, err := unmarshalEntry(it); err == nil {
			entries = append(entries, e)
		}
	}
	return entries
}
