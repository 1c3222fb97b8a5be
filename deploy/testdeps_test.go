package deploy

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestenvLeavesOutTheAWSConfigLoader keeps the emulator helpers cheap to
// link: the SDK's config package pulls STS, SSO and sign-in clients into every
// test binary that imports internal/testenv, for an aws.Config testenv builds
// by hand (awsconfig.go).
func TestTestenvLeavesOutTheAWSConfigLoader(t *testing.T) {
	files, err := filepath.Glob("../internal/testenv/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testenv files found: %v", err)
	}
	fset := token.NewFileSet()
	for _, p := range files {
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path := strings.Trim(imp.Path.Value, `"`); strings.HasPrefix(path, "github.com/aws/aws-sdk-go-v2/config") {
				t.Errorf("%s imports %s; build the emulators' aws.Config by hand", filepath.Base(p), path)
			}
		}
	}
}
