// Package blockkit is the emulator's model of Slack's Block Kit: it validates
// blocks, modals and Home tabs the way Slack's Web API does (and fills in the
// block_id and action_id Slack would), reads what a surface renders (buttons,
// text), and builds the state.values a user's inputs and ticked checkboxes
// produce in interaction payloads.
//
// It is pure: JSON in, JSON out, no server state, no clock, no network, so the
// rules a test relies on ("a modal with an input needs submit", "a required
// input cannot be submitted empty") can be read and tested apart from the
// Socket Mode and Web API plumbing in package slackemu, which imports it. It
// imports only the standard library.
package blockkit
