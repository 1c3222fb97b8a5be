// Package pipeline is the one function every slash command, button click and
// modal submission of cognito-bot ends in: authorize the actor for the action,
// channel and pool → record the denial, or write the audit intent (and refuse to
// act if it cannot be written) → run the operation with the user directory →
// record the outcome. The directory lives only inside Pipeline, in its own
// package, so the bot's handlers hold nothing they could call Cognito with
// around it. Tests hold the rule: Bot has no field that reaches the directory,
// and no package of the bot builds a directory or imports the Cognito SDK
// (only the app's wiring and the sandbox do).
package pipeline
