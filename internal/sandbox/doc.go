// Package sandbox lets someone try cognito-bot in a browser before installing a
// Slack app or granting IAM rights. It runs the real bot (same pipeline, views,
// RBAC, approvals and sweeper) against the embedded Slack emulator and serves a
// page that plays the Slack client: pick a persona, type /cognito commands, click
// the buttons that are actually rendered, answer modals, and watch the audit log
// fill up.
//
// Block Kit is rendered to HTML on the server, in Go, rather than in the page's
// JavaScript. The renderer is then unit-tested with plain `go test` against the
// golden JSON the views produce, without a browser, and the page's script stays a
// thin layer that polls, swaps HTML and forwards clicks. Anything the renderer
// does not know shows up as a visible "unsupported element" box.
package sandbox
