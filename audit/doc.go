// Package audit is cognito-bot's durable memory in DynamoDB: the append-only audit log
// of every attempt (allowed, denied, failed) and the "pending actions" that Slack
// confirm/approval buttons point at.
//
// Both exist so the bot can fail closed and act exactly once. An audit entry is written
// before a Cognito call is made (Log.Begin) and finished afterwards (Log.Finish); a
// write that cannot reach DynamoDB returns ErrUnavailable and the caller must not act.
// Entry IDs are deterministic (derived from the Slack trigger or the pending id), so a
// Slack retry that repeats a write gets ErrDuplicate instead of a second entry. A
// pending action moves through a small state machine (state.Store.Transition) with
// conditional updates, so a double click, a Slack redelivery or a second bot replica
// loses the race with ErrConflict instead of executing twice.
//
// # Where things are
//
// This package holds what callers name: the types (Entry, Actor, Target, Pending,
// State, Job, Scheduled, …), the sentinel errors, the options, the audit log (Log,
// MemoryLog), the Anchorer, NewClient and Migrate. Below it:
//
//   - audit/table is the storage both tables run on — the Table interface, its
//     DynamoDB and in-memory backends, and the tables' keys and indexes; it imports
//     neither this package nor the others.
//   - audit/chain is the log's tamper-evident hash chain over a table: the stored
//     form of entries and outcomes, appending links, Verify, anchors' digests and
//     Export; it imports audit/table only.
//   - audit/state is the state table (Store, MemoryStore): pending actions, sessions,
//     bulk jobs, scheduled actions, bulk volume and replica leases; it imports this
//     package for its types and audit/table.
//
// A few names here exist for audit/state, so the log and the state store apply one
// set of rules: SettingsOf (the options in effect), SanitizeParams, CheckStateParams,
// ExactParams and Truncate (what may be stored, and how), and Duplicate.
//
// # Two backends, one behaviour
//
// Log and state.Store keep everything in DynamoDB. MemoryLog and state.MemoryStore keep
// it in process memory, for a sandbox and for tests that exercise the bot without an
// emulator. They are not mocks: each pair runs the same code (the rules live in logCore
// and the state package's storeCore) over one table.Table that DynamoDB and a map under
// a mutex both implement, so errors, ordering, cursors, redaction, truncation and the
// conditional state machine are the same, and one contract test suite runs against both.
package audit
