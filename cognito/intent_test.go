package cognito

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestIntentMarkersHaveOnlyTheirNamedCallers: outside _test.go files, only
// the pipeline (and the test harness's Fixture) opens intents and each
// exemption has its one caller, so a new way around the intent rule cannot
// slip in unnoticed.
func TestIntentMarkersHaveOnlyTheirNamedCallers(t *testing.T) {
	allowed := map[string][]string{
		"cognito.OpenIntent(":        {"bot/bottest/guard.go", "bot/pipeline/intent.go"}, // the pipeline; the test harness's Fixture
		"cognito.ForStartupCheck(":   {"internal/app/preflight.go"},
		"cognito.ForSandboxSeeding(": {"internal/sandbox/awsbackend.go"},
	}
	found := map[string][]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", path)
		for marker := range allowed {
			if strings.Contains(string(src), marker) {
				found[marker] = append(found[marker], filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for marker, want := range allowed {
		if !slices.Equal(found[marker], want) {
			t.Errorf("%s is used in %v; only %v may", marker, found[marker], want)
		}
	}
}
