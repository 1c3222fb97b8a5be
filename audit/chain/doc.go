// Package chain is the audit log's tamper-evident hash chain, over a table.Table:
// the stored form of entries and outcomes (EntryItem, OutcomeItem), the links that
// order them in ChainShards chains (Writer.Append), and the readers that check and
// copy the chain — Verify, anchors' digests, Export and the walks search uses.
// Package audit's Log writes through it; nothing here knows the audit types, so it
// imports audit/table only. The README's "The audit log" part says what it proves.
package chain
