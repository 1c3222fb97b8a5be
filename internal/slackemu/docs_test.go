package slackemu

import (
	"os"
	"regexp"
	"testing"
)

// absolutePath matches a filesystem path such as /opt/x/notes.md that starts
// a word; servedPath exempts the URL paths the emulator serves (/api/…,
// /link/…), which are not files.
var (
	absolutePath = regexp.MustCompile("(?:^|[\\s`'\"(])(/[A-Za-z][\\w.-]*(?:/[\\w.-]+)+)")
	servedPath   = regexp.MustCompile(`^/(api|link)/`)
)

// TestDocsNeedNoOutsidePaths keeps the package's documentation readable from
// a plain checkout: it must not send the reader to a file on some machine.
func TestDocsNeedNoOutsidePaths(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"doc.go", "README.md"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range absolutePath.FindAllStringSubmatch(string(b), -1) {
			if p := m[1]; !servedPath.MatchString(p) {
				t.Errorf("%s cites %s, a path outside the repository", name, p)
			}
		}
	}
}
