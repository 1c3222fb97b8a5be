// Package auditview renders the audit log's views: the entries of a user or
// of an actor (audit, audit --actor), a page of a reason or ticket search
// with its More button, the answer of audit verify, and an anchor as posted
// to the anchor channel.
//
// They are pure functions like the rest of package views, whose Message,
// ActorView, Tickets and Block Kit building blocks they use; they import only
// that package, slack-go's Block Kit types and the standard library. They
// live apart so package views stays small enough to read.
package auditview
