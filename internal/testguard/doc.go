// Package testguard holds what every end-to-end test is held to beyond its
// own assertions: no goroutine it started outlives it (Watch), and no call
// it makes to Cognito lies outside the IAM policy of the action it was made
// for (Grants). Package bottest puts every harness under both.
//
// It imports the standard library only, so its own tests link in a moment,
// apart from the harness they guard.
package testguard
