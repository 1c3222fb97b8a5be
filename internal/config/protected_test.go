package config

import (
	"strings"
	"testing"
)

func TestProtectedGroupsValidation(t *testing.T) {
	c := &Config{ProtectedGroups: []string{"admins", "", " ops", "admins", strings.Repeat("g", 129)}}
	var p Problems
	c.validateProtectedGroups(&p)
	got := p.Err().Error()
	for _, want := range []string{"protected_groups[1]", "protected_groups[2]", "protected_groups[3]", "protected_groups[4]"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "protected_groups[0]") {
		t.Errorf("a good name was refused:\n%s", got)
	}
}
