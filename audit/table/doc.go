// Package table is the storage the audit log (package audit) and the state store
// (audit/state) run on: the Table interface, with a DynamoDB backend (Dynamo) and
// an in-memory one (Memory), and the layout of the two tables — keys, index names,
// the schema Migrate creates. It offers only the few operations the stores need, in
// a form both backends carry out alike, so which write wins and what a listing
// returns is decided above it, once. It imports no other package of this module.
//
// # Table layout
//
// The audit table (audit.Tables.Audit) has the hash key pk = "ENTRY#<id>" and three global
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
// The state table (audit.Tables.State) has the hash key pk = "PENDING#<id>" or
// "SESSION#<id>", the TTL attribute ttl, and one sparse global secondary index:
//
//	by_due  due_pk = "PENDING"  due_at = "<expires_at>"  (or "EXECUTING", "<claimed + executing timeout>")
//
// Only items in state PENDING carry due_pk and due_at; every transition out of
// PENDING removes them, so the index holds exactly the requests a sweeper may expire.
//
// Any id or key part longer than MaxKeyPart bytes, or starting with "~", is replaced
// by "~" plus its SHA-256 in hex, so keys stay far below DynamoDB's 1024-byte sort key
// limit whatever callers pass.
//
// Global secondary indexes are eventually consistent in AWS (and immediate in DynamoDB
// Local and in memory): ByTarget, ByActor, OpenIntents and DueForExpiry may miss a write
// made a moment ago, and DueForExpiry may return an item that has just left PENDING.
// Nothing relies on them for correctness; Get and the conditional writes read the base
// table.
package table
