// Package bulkview renders the views of work over many users: a bulk job's
// dry run with its Confirm button and its progress with Cancel, the bulk
// users and import modals, an import's problems, and the progress of the
// long work run as background jobs beside them (an export, a long check:
// a filtered bulk dry run or an import's check), each with the Cancel button
// every job shares (JobEnd).
//
// They are pure functions like the rest of package views, whose Message,
// Words, card details and Block Kit building blocks they use; they import
// only that package, slack-go's Block Kit types and the standard library.
// They live apart so package views stays small enough to read.
package bulkview
