// Package slackemu is an in-process emulator of the parts of Slack that
// cognito-bot talks to: Socket Mode (apps.connections.open and the WebSocket
// link) and the handful of Web API methods the bot calls.
//
// It exists because none of our machines can reach Slack, yet the bot's
// end-to-end tests must run it through slack-go's real socketmode client. The
// emulator therefore speaks the wire protocol, not a mock interface: it sends
// hello frames and WebSocket PINGs, wraps user actions in envelopes with the
// exact JSON Slack sends, records acks with their timing, and keeps a message
// store that models what each user would actually see (ephemeral messages,
// in-place replacements through response_url, deletions).
//
// The Slack rules that tests most often get wrong are enforced rather than
// assumed: trigger_id lives 3 s and works once, response_url allows 5 uses in
// 30 min, chat.update cannot touch ephemeral messages, acks later than 3 s are
// ignored, and a test can only click a button that is currently rendered.
// The behaviour modelled is Slack's documented one for Socket Mode, slash
// commands, interactivity payloads and the Web API methods listed in
// README.md, as seen by slack-go's clients. README.md in this directory lists
// what is enforced, where the emulator had to guess, and what it does not
// model.
//
// The Server holds Slack's state (messages, modals, Home tabs, response_urls,
// files, the directory) and its rules; three subpackages hold what is not
// state: blockkit validates and reads Block Kit (pure), socket is the Socket
// Mode transport (links, envelopes, acks), and webapi the Web API's HTTP
// plumbing (requests, tokens, faults, recorded calls). socket and webapi share
// the Server's lock and call back into it for Slack's semantics.
package slackemu
