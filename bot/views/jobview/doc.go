// Package jobview renders the messages of long work run as background jobs
// beside the bulk jobs: the progress message of a long check (a filtered
// bulk dry run, an import's check) with its Cancel button.
//
// They are pure functions like the rest of package views, whose Message and
// Block Kit building blocks they use; they import only that package,
// package bulkview (for the Cancel button every job shares), slack-go's
// Block Kit types and the standard library. They live apart so package views
// stays small enough to read.
package jobview
