package auditid

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// assignedByHand is a step's audit id built in place: a string literal or a
// concatenation instead of a call to this package.
var assignedByHand = regexp.MustCompile(`\bAuditID\s*(:|=|\+=)\s*("|[^,(]*\+)|\be\.ID\s*=\s*"`)

// TestNoAuditIDIsBuiltByHand walks the module's production Go files: an id
// built by hand would be a prefix this package does not know of (a collision
// nobody tests) or a second spelling of one that must never change.
func TestNoAuditIDIsBuiltByHand(t *testing.T) {
	var literals []string
	for _, prefix := range kindsDeclared(t) {
		literals = append(literals, `"`+prefix+`#"`)
	}
	for _, prefix := range append([]string{jobTargetPrefix, denyPrefix, anchorPrefix}, pendingPhases...) {
		literals = append(literals, `"`+prefix+`#"`)
	}
	for _, ph := range jobPhases {
		literals = append(literals, `"`+jobTargetPrefix+ph+`#"`)
	}
	checked := 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "../.." && (strings.HasPrefix(name, ".") || name == "testdata" || path == filepath.Join("..", "..", "audit", "auditid")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for n, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			where := filepath.ToSlash(strings.TrimPrefix(path, "../../")) + ":" + strconv.Itoa(n+1)
			if assignedByHand.MatchString(line) {
				t.Errorf("%s builds an audit id by hand; use package auditid: %s", where, strings.TrimSpace(line))
				continue
			}
			// A request's Ref and EnvelopeID are not entry ids ("home#<envelope>").
			if strings.Contains(line, "Ref:") || strings.Contains(line, "EnvelopeID:") {
				continue
			}
			for _, lit := range literals {
				if strings.Contains(line, lit) {
					t.Errorf("%s spells the audit id prefix %s by hand; use package auditid: %s", where, lit, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d production Go files: is the walk rooted at the module?", checked)
	}
}
