// Package viewstest holds what the tests of package views and its
// subpackages share: hostile input, the Block Kit limits and mrkdwn safety
// checker every rendering must pass, and the golden-file comparison (with its
// -update flag). It checks the JSON Slack would receive against Slack's
// documented limits, written here on their own rather than taken from the
// views, so a view that raises its own limit still fails.
//
// It imports only slack-go's Block Kit types and the standard library, like
// the views, so their tests can import it without a cycle.
package viewstest
