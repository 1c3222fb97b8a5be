package actions

import (
	"slices"
	"strings"
)

// All returns every action's spec in help order. The slice is a copy.
func All() []Spec { return slices.Clone(table) }

// Names returns every known action in help order, without the wildcard.
func Names() []Action {
	out := make([]Action, len(table))
	for i, s := range table {
		out[i] = s.Action
	}
	return out
}

// Synopsis is the command line help and usage answers show after the slash
// command: the action's name, then its Usage. The README's command list is
// generated from it too, so the two never disagree.
func (s Spec) Synopsis() string {
	if s.Usage == "" {
		return string(s.Action)
	}
	return string(s.Action) + " " + s.Usage
}

// Get returns the spec of a, if a is known.
func Get(a Action) (Spec, bool) {
	for _, s := range table {
		if s.Action == a {
			return s, true
		}
	}
	return Spec{}, false
}

// Find returns the action a user typed, by name or alias, ignoring case.
func Find(word string) (Spec, bool) {
	word = strings.ToLower(strings.TrimSpace(word))
	for _, s := range table {
		if string(s.Action) == word || slices.Contains(s.Aliases, word) {
			return s, true
		}
	}
	return Spec{}, false
}

// Known reports whether a is an action of the table (the wildcard is not).
func (a Action) Known() bool {
	_, ok := Get(a)
	return ok
}

// Destructive reports whether a locks a user out or loses data.
func (a Action) Destructive() bool {
	s, _ := Get(a)
	return s.Destructive
}

// QuotaCallsPerRun is QuotaCalls, at least 1.
func (s Spec) QuotaCallsPerRun() int { return max(s.QuotaCalls, 1) }

// Approvable reports whether an approval rule can hold a until someone
// approves: a change to one existing user (it waits as a pending request and
// runs on the user the request named; undo's work is the bot's own, put in
// place when it runs), a bulk job, or an export (it waits with its filter and
// runs for its requester once approved). Creating users, and reads shown at
// once, cannot wait that way.
func (a Action) Approvable() bool {
	s, _ := Get(a)
	return s.Op != nil || a == Undo || a == Bulk || a == Export
}

// BulkActions are the actions a bulk job can run, in help order.
func BulkActions() []Spec {
	var out []Spec
	for _, s := range table {
		if s.RunsInBulk() {
			out = append(out, s)
		}
	}
	return out
}

// RunsInBulk reports whether a bulk job may run s: it is marked Bulk and has
// a single-user operation.
func (s Spec) RunsInBulk() bool { return s.Bulk && s.Op != nil }

// BulkNames lists BulkActions' names as users type them, for help and refusals.
func BulkNames() []string {
	var out []string
	for _, s := range BulkActions() {
		out = append(out, string(s.Action))
	}
	return out
}

// CardActions are the single-user actions offered as lookup-card buttons, in
// display order.
func CardActions() []Spec {
	var out []Spec
	for _, s := range table {
		if s.Button != "" && s.Op != nil {
			out = append(out, s)
		}
	}
	return out
}
