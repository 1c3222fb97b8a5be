package deploy

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// dockerStages parses ../Dockerfile with BuildKit's own parser.
func dockerStages(t *testing.T) []instructions.Stage {
	t.Helper()
	f, err := os.Open("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ast, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("parsing the Dockerfile: %v", err)
	}
	stages, _, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		t.Fatalf("reading the Dockerfile's instructions: %v", err)
	}
	return stages
}

// makeVar returns the value of a `NAME := value` line of ../Makefile.
func makeVar(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^` + name + `\s*[:?]?=\s*(.*)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("the Makefile defines no %s", name)
	}
	return strings.TrimSpace(string(m[1]))
}

func TestDockerfileBuildsAStaticVersionStampedBinaryAndRunsAsNonRoot(t *testing.T) {
	stages := dockerStages(t)
	if len(stages) < 2 {
		t.Fatalf("%d stage(s); want a build stage and a runtime stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]

	var goBuild string
	for _, c := range build.Commands {
		if run, ok := c.(*instructions.RunCommand); ok && strings.Contains(strings.Join(run.CmdLine, " "), "go build") {
			goBuild = strings.Join(run.CmdLine, " ")
		}
	}
	if goBuild == "" {
		t.Fatal("the build stage has no RUN … go build")
	}
	if !strings.Contains(goBuild, "CGO_ENABLED=0") {
		t.Errorf("the binary is not static (no CGO_ENABLED=0): %s", goBuild)
	}
	if !strings.Contains(goBuild, "./cmd/cognito-bot") {
		t.Errorf("the image does not build ./cmd/cognito-bot: %s", goBuild)
	}
	// The same -ldflags as `make build`, with the version variable in each syntax.
	want := strings.ReplaceAll(makeVar(t, "LDFLAGS"), "$(VERSION)", "${VERSION}")
	if !strings.Contains(goBuild, `-ldflags "`+want+`"`) {
		t.Errorf("the Dockerfile's -ldflags differ from the Makefile's %q: %s", want, goBuild)
	}
	var hasVersionArg bool
	for _, c := range build.Commands {
		if arg, ok := c.(*instructions.ArgCommand); ok {
			for _, kv := range arg.Args {
				hasVersionArg = hasVersionArg || kv.Key == "VERSION"
			}
		}
	}
	if !hasVersionArg {
		t.Error("the build stage has no ARG VERSION, so `make image` cannot stamp the version")
	}

	if !strings.HasPrefix(final.BaseName, "gcr.io/distroless/") || !strings.HasSuffix(final.BaseName, ":nonroot") {
		t.Errorf("the runtime stage is %q; want a distroless :nonroot image", final.BaseName)
	}
	var user string
	var copiedFromBuild bool
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.CopyCommand:
			copiedFromBuild = copiedFromBuild || c.From == build.Name
		case *instructions.RunCommand:
			t.Errorf("the runtime stage runs %q; distroless has no shell", c.CmdLine)
		}
	}
	if !copiedFromBuild {
		t.Errorf("the runtime stage copies nothing from the %q stage", build.Name)
	}
	uid, _, _ := strings.Cut(user, ":")
	if uid == "" || uid == "0" || uid == "root" {
		t.Errorf("the image ends as user %q; want a non-root numeric user (Kubernetes runAsNonRoot needs a number)", user)
	}
	if !regexp.MustCompile(`^[0-9]+$`).MatchString(uid) {
		t.Errorf("USER %q is not numeric; runAsNonRoot cannot verify a name", user)
	}
}

func TestMakeImagePassesTheVersion(t *testing.T) {
	b, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "image:") })
	if i < 0 || i+1 >= len(lines) || !strings.Contains(lines[i+1], "--build-arg VERSION=$(VERSION)") {
		t.Fatal("make image must pass --build-arg VERSION=$(VERSION) to docker build")
	}
}
