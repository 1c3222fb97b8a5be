package deploy

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxProductionLines bounds a production Go file, so a newcomer can read one
// file at a sitting and each file holds one thing (README, "How the code is
// laid out").
const maxProductionLines = 300

func TestNoProductionGoFileIsOverTheBound(t *testing.T) {
	t.Parallel()
	checked := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
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
		if n := bytes.Count(b, []byte("\n")); n > maxProductionLines {
			t.Errorf("%s has %d lines, over %d: split it by what it holds", filepath.ToSlash(strings.TrimPrefix(path, "../")), n, maxProductionLines)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d production Go files: is the walk rooted at the module?", checked)
	}
}
