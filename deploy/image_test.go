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
	t.Parallel()
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
	// The same -ldflags as `make build`, with the version variable in each syntax,
	// stripped (-s -w) for a smaller image.
	want := "-s -w " + strings.ReplaceAll(makeVar(t, "LDFLAGS"), "$(VERSION)", "${VERSION}")
	if !strings.Contains(goBuild, `-ldflags "`+want+`"`) {
		t.Errorf("the Dockerfile's -ldflags differ from -s -w and the Makefile's %q: %s", want, goBuild)
	}
	// Cross-compiled on the build machine's platform for the target's, so an arm64
	// image builds natively instead of under emulation.
	if build.Platform != "$BUILDPLATFORM" {
		t.Errorf("the build stage runs on %q; want --platform=$BUILDPLATFORM", build.Platform)
	}
	for _, v := range []string{"GOOS=${TARGETOS}", "GOARCH=${TARGETARCH}"} {
		if !strings.Contains(goBuild, v) {
			t.Errorf("go build does not set %s: %s", v, goBuild)
		}
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

	image, _, _ := strings.Cut(final.BaseName, "@")
	if !strings.HasPrefix(image, "gcr.io/distroless/") || !strings.HasSuffix(image, ":nonroot") {
		t.Errorf("the runtime stage is %q; want a distroless :nonroot image", final.BaseName)
	}
	labels := map[string]string{}
	for _, c := range final.Commands {
		if l, ok := c.(*instructions.LabelCommand); ok {
			for _, kv := range l.Labels {
				labels[kv.Key] = strings.Trim(kv.Value, `"`)
			}
		}
	}
	for key, want := range map[string]string{
		"org.opencontainers.image.source":   "https://github.com/cognito-bot/cognito-bot",
		"org.opencontainers.image.version":  "${VERSION}",
		"org.opencontainers.image.revision": "${REVISION}",
	} {
		if got := labels[key]; got != want {
			t.Errorf("OCI label %s = %q, want %q", key, got, want)
		}
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

// pinnedImage matches a base image named by tag and pinned by its digest.
var pinnedImage = regexp.MustCompile(`^[a-z0-9./-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$`)

func TestBaseImagesArePinnedByDigest(t *testing.T) {
	t.Parallel()
	stages := dockerStages(t)
	names := map[string]bool{}
	for _, s := range stages {
		if !names[s.BaseName] && !pinnedImage.MatchString(s.BaseName) {
			t.Errorf("FROM %s is not pinned: want name:tag@sha256:<digest>, so a rebuild gets the same base", s.BaseName)
		}
		names[s.Name] = true
	}
	if !pinnedImage.MatchString("golang:1.26@sha256:"+strings.Repeat("0", 64)) || pinnedImage.MatchString("golang:1.26") {
		t.Fatal("the pin pattern is broken")
	}
}

func TestMakeImagePassesTheVersion(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "image:") })
	if i < 0 || i+1 >= len(lines) || !strings.Contains(lines[i+1], "--build-arg VERSION=$(VERSION)") {
		t.Fatal("make image must pass --build-arg VERSION=$(VERSION) to docker build")
	}
	if !strings.Contains(lines[i+1], "--build-arg REVISION=$(REVISION)") {
		t.Error("make image must pass --build-arg REVISION=$(REVISION), the OCI revision label")
	}
}
