package bottest

import (
	"fmt"
	"strings"
	"testing"
)

// failures records what the guard reports instead of failing the test.
type failures struct {
	testing.TB
	got []string
}

func (f *failures) Errorf(format string, args ...any) {
	f.got = append(f.got, fmt.Sprintf(format, args...))
}

func TestIAMCheckFailsACallTheActionsPolicyLacks(t *testing.T) {
	f := &failures{TB: t}
	g := newPipelineGuard(f)
	g.action["exec#1"] = "lookup"
	g.checkGranted("exec#1", "AdminGetUser")
	g.checkGranted("exec#1", "DescribeUserPool")
	if len(f.got) != 0 {
		t.Fatalf("lookup's own calls were refused: %v", f.got)
	}
	g.checkGranted("exec#1", "AdminDeleteUser")
	if len(f.got) != 1 || !strings.Contains(f.got[0], "AdminDeleteUser") {
		t.Fatalf("a delete under a lookup intent was not reported: %v", f.got)
	}
	g.checkGranted("", "AdminDeleteUser") // outside any intent: the pipeline guard's job
	if len(f.got) != 1 {
		t.Errorf("a call outside an intent was judged here: %v", f.got)
	}
}
