// Package deskview renders the support desk's views: a user's card with its
// diagnosis, menu and deletion line, the "why can't they sign in" answer,
// sign-in history, remembered devices, a pool's and a user's groups, the card
// of a user just created, and the bot's Home tab.
//
// They are pure functions like the rest of package views, whose view models
// (UserView, PoolView, Message) and Block Kit building blocks they use; they
// import only that package, slack-go's Block Kit types and the standard
// library. They live apart so package views stays small enough to read.
package deskview
