package desk

import "sort"

// SessionKindNames are the declared session kinds' names, sorted, for the
// external tests of this package.
func SessionKindNames() []string { return sessionKinds.names() }

// names are the declared kinds' names, sorted.
func (r *kindRegistry) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
