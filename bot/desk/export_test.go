package desk

// SessionKindNames are the declared session kinds' names, sorted, for the
// external tests of this package.
func SessionKindNames() []string { return sessionKinds.names() }
