package deploy

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// makeTargets returns the targets the Makefile declares .PHONY.
func makeTargets(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\.PHONY:(.*)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("the Makefile has no .PHONY line")
	}
	return strings.Fields(string(m[1]))
}

func TestMakeHelpListsEveryTargetWithWhatItDoes(t *testing.T) {
	t.Parallel()
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	out, err := exec.Command(makeBin, "-s", "-C", "..", "help").Output()
	if err != nil {
		t.Fatalf("make help: %v", err)
	}
	for _, target := range makeTargets(t) {
		line := regexp.MustCompile(`(?m)^\s*make ` + regexp.QuoteMeta(target) + `\s+(\S.*)$`).FindStringSubmatch(string(out))
		if line == nil {
			t.Errorf("make help does not list %q with a description: give it a `## …` comment\n%s", target, out)
		}
	}
}

func TestReadmeNamesEveryMakeTarget(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range makeTargets(t) {
		if !strings.Contains(string(b), "`make "+target) {
			t.Errorf("the README never mentions `make %s` (add it to \"Other targets\")", target)
		}
	}
}
