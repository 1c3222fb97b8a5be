// Package views renders the bot's Slack replies as Block Kit messages and
// modals. Views are pure functions of small view models: no I/O, no Slack
// client, no Cognito or audit types. Keeping them apart lets every reply be
// checked against golden files and Block Kit limits without a workspace, and
// the import list (slack-go's Block Kit types and the standard library only)
// keeps them pure.
package views
