// Package audit is cognito-bot's durable memory in DynamoDB: the append-only audit log
// of every attempt (allowed, denied, failed) and the "pending actions" that Slack
// confirm/approval buttons point at.
//
// Both exist so the bot can fail closed and act exactly once. An audit entry is written
// before a Cognito call is made (Log.Begin) and finished afterwards (Log.Finish); a
// write that cannot reach DynamoDB returns ErrUnavailable and the caller must not act.
// Entry IDs are deterministic (derived from the Slack trigger or the pending id), so a
// Slack retry that repeats a write gets ErrDuplicate instead of a second entry. A
// pending action moves through a small state machine (Store.Transition) with
// conditional updates, so a double click, a Slack redelivery or a second bot replica
// loses the race with ErrConflict instead of executing twice.
//
// # Two backends, one behaviour
//
// Log and Store keep everything in DynamoDB. MemoryLog and MemoryStore keep it in
// process memory, for a sandbox and for tests that exercise the bot without an
// emulator. They are not mocks: all four run the same code (the rules live in logCore
// and storeCore) over an unexported table interface that DynamoDB and a map under a
// mutex both implement, so errors, ordering, cursors, redaction, truncation and the
// conditional state machine are the same, and one contract test suite runs against both.
//
// # Table layout
//
// The audit table (Tables.Audit) has the hash key pk = "ENTRY#<id>" and three global
// secondary indexes, all projecting every attribute:
//
//	by_target  target_pk = "TARGET#<pool>#<username>"  target_sk = "<time>#<id>"
//	by_actor   actor_pk  = "ACTOR#<team>#<user>"       actor_sk  = "<time>#<id>"
//	by_open    open_pk   = "OPEN"                      open_sk   = "<due>#<id>"
//
// where <time> is a fixed-width UTC timestamp, so the sort key orders by time and
// queries with ScanIndexForward=false return the newest entries first. by_open is
// sparse: only an entry written by Begin and not yet finished carries open_pk and
// open_sk (Finish removes them), so Log.OpenIntents finds intents that never got an
// outcome without reading the log; <due> is the intent's Deadline (else its time). The TTL attribute is ttl (a Number of epoch seconds).
//
// The state table (Tables.State) has the hash key pk = "PENDING#<id>" or
// "SESSION#<id>", the TTL attribute ttl, and one sparse global secondary index:
//
//	by_due  due_pk = "PENDING"  due_at = "<expires_at>"  (or "EXECUTING", "<claimed + executing timeout>")
//
// Only items in state PENDING carry due_pk and due_at; every transition out of
// PENDING removes them, so the index holds exactly the requests a sweeper may expire.
//
// Any id or key part longer than maxKeyPart bytes, or starting with "~", is replaced
// by "~" plus its SHA-256 in hex, so keys stay far below DynamoDB's 1024-byte sort key
// limit whatever callers pass.
//
// Global secondary indexes are eventually consistent in AWS (and immediate in DynamoDB
// Local and in memory): ByTarget, ByActor, OpenIntents and DueForExpiry may miss a write
// made a moment ago, and DueForExpiry may return an item that has just left PENDING.
// Nothing relies on them for correctness; Get and the conditional writes read the base
// table.
package audit
