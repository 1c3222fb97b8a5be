package cognito

// Group is one group of a pool as the desk sees it.
type Group struct {
	Name        string
	Description string
	// Precedence decides which group's IAM role wins for a member of several
	// (lower wins); nil when the group has none.
	Precedence *int
}
