// Package state is the state table: the pending actions Slack buttons point at
// (their conditional state machine, Transition), sessions, bulk jobs and their
// targets, scheduled actions, requesters' bulk volume, one-time claims and replica
// leases. Store keeps them in DynamoDB and MemoryStore in process memory; both run
// the same code over a table.Table, and one contract suite holds them to the same
// behaviour. The types it stores (audit.Pending, audit.Job, …) are package audit's.
//
// Items keep the shape earlier versions wrote (storedforms.go): a stored item of
// the previous version loads into the typed fields, and one that cannot be
// mapped is refused with audit.ErrUnreadable (and skipped by lists), never read
// as something else.
package state
