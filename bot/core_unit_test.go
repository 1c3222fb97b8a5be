package bot

import (
	"context"
	"go/ast"
	"go/build"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/commands"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// recordingSlack captures what the bot sends through response_urls.
type recordingSlack struct {
	SlackAPI
	mu    sync.Mutex
	posts []string
}

func (r *recordingSlack) PostMessageContext(_ context.Context, _ string, opts ...slack.MsgOption) (string, string, error) {
	_, values, err := slack.UnsafeApplyMsgOptions("xoxb-test", "C1", "https://slack.example/api/", opts...)
	if err != nil {
		return "", "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts = append(r.posts, values.Get("text"))
	return "", "", nil
}

// A modal this bot did not open is refused before anything else happens.
func TestUnknownModalIsRefused(t *testing.T) {
	rec := &recordingSlack{}
	b := &Bot{Commands: &commands.Commands{OneUser: &usercmd.OneUser{Jobs: &jobs.Jobs{Flows: &flows.Flows{Desk: &desk.Desk{Slack: rec, Log: zap.NewNop(), Now: time.Now}}}}}} // no state store: touching it would panic
	b.handleSubmission(context.Background(), &request{ResponseURL: "https://hooks.slack.example/1"}, transport.Submission{CallbackID: "someone_elses_form", Meta: "x"})
	if len(rec.posts) != 1 || !strings.Contains(rec.posts[0], "not one of this bot's") {
		t.Fatalf("answers %q; want one refusal", rec.posts)
	}
}

// The bot holds no way to reach Cognito: only the pipeline has the directory.
// Interfaces' method sets are read from their source, not by reflection:
// reflect.Type.Method in a test binary makes the linker keep every exported
// method of every type it links, which made this package's test binary a
// third larger and slower to link on every `go test ./...`.
func TestBotHoldsNoDirectory(t *testing.T) {
	dir := reflect.TypeFor[pipeline.Directory]()
	dirMethods := interfaceMethods(t, dir.PkgPath(), dir.Name())
	if len(dirMethods) != dir.NumMethod() {
		t.Fatalf("read %d methods of %s from its source; it has %d", len(dirMethods), dir, dir.NumMethod())
	}
	for _, bt := range []reflect.Type{reflect.TypeFor[Bot](), reflect.TypeFor[desk.Desk]()} {
		for i := range bt.NumField() {
			f := bt.Field(i)
			if f.Type.Kind() == reflect.Interface {
				methods := interfaceMethods(t, f.Type.PkgPath(), f.Type.Name())
				if len(methods) != f.Type.NumMethod() {
					t.Fatalf("read %d methods of %s from its source; it has %d", len(methods), f.Type, f.Type.NumMethod())
				}
				if sharesAMethod(methods, dirMethods) {
					t.Errorf("%s.%s (%s) could reach Cognito around the pipeline", bt.Name(), f.Name, f.Type)
				}
			}
			if f.Type.Implements(dir) {
				t.Errorf("%s.%s (%s) could reach Cognito around the pipeline", bt.Name(), f.Name, f.Type)
			}
		}
	}
}

func sharesAMethod(a, b map[string]bool) bool {
	for m := range a {
		if b[m] {
			return true
		}
	}
	return false
}

const modulePath = "github.com/cognito-bot/cognito-bot"

// interfaceMethods is the method set of the named interface declared in a
// package of this module, embedded interfaces included, read from source.
func interfaceMethods(t *testing.T, pkgPath, name string) map[string]bool {
	t.Helper()
	rel, ok := strings.CutPrefix(pkgPath, modulePath)
	if !ok || name == "" {
		t.Fatalf("interface %s.%s is not a named interface of this module: declare it here so this test can read it", pkgPath, name)
	}
	files, err := filepath.Glob(filepath.Join("..", filepath.FromSlash(rel), "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := goparser.ParseFile(token.NewFileSet(), file, nil, goparser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				it, ok := ts.Type.(*ast.InterfaceType)
				if ts.Name.Name != name || !ok {
					continue
				}
				methods := map[string]bool{}
				for _, m := range it.Methods.List {
					for _, n := range m.Names {
						methods[n.Name] = true
					}
					if len(m.Names) > 0 {
						continue
					}
					embedded, embeddedPkg := embeddedInterface(t, f, pkgPath, m.Type)
					for n := range interfaceMethods(t, embeddedPkg, embedded) {
						methods[n] = true
					}
				}
				return methods
			}
		}
	}
	t.Fatalf("no interface %s in %s", name, pkgPath)
	return nil
}

// embeddedInterface names an interface embedded in another: one of the same
// package, or pkg.Name through the file's imports.
func embeddedInterface(t *testing.T, f *ast.File, pkgPath string, expr ast.Expr) (name, pkg string) {
	t.Helper()
	switch e := expr.(type) {
	case *ast.Ident:
		return e.Name, pkgPath
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			for _, imp := range f.Imports {
				path := strings.Trim(imp.Path.Value, `"`)
				if (imp.Name != nil && imp.Name.Name == x.Name) || (imp.Name == nil && filepath.Base(path) == x.Name) {
					return e.Sel.Name, path
				}
			}
		}
	}
	t.Fatalf("cannot read the embedded interface %T in %s", expr, pkgPath)
	return "", ""
}

// No package of the bot builds a directory or imports the Cognito SDK: the
// only directory they can reach is the one the pipeline hands its operation.
// (Package bot imports cognito for its types and sentinel errors.)
func TestBotPackagesCannotBuildADirectory(t *testing.T) {
	for _, dir := range []string{".", "bulk", "views", "pipeline", "transport", "desk", "flows", "jobs", "commands"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := goparser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				if strings.Contains(imp.Path.Value, "service/cognitoidentityprovider") {
					t.Errorf("%s imports the Cognito SDK", name)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, isIdent := sel.X.(*ast.Ident); isIdent && id.Name == "cognito" && (sel.Sel.Name == "New" || sel.Sel.Name == "NewMemory") {
					t.Errorf("%s builds a directory (cognito.%s)", name, sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// Views are pure: their package imports nothing but Block Kit types and the standard library.
func TestViewsImportOnlyBlockKitAndTheStandardLibrary(t *testing.T) {
	pkg, err := build.ImportDir("views", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(imp, ".") && imp != "github.com/slack-go/slack" {
			t.Errorf("bot/views imports %s", imp)
		}
	}
}

// The README's command list is the action table's: every action is there, and
// nothing else is.
func TestReadmeCommandsAreTheTable(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start := strings.Index(readme, "## Commands")
	if start < 0 {
		t.Fatal("README has no Commands section")
	}
	section := readme[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var listed []string
	for _, m := range regexp.MustCompile(`/cognito ([a-z-]+)`).FindAllStringSubmatch(section, -1) {
		if !slices.Contains(listed, m[1]) {
			listed = append(listed, m[1])
		}
	}
	for _, s := range actions.All() {
		if !slices.Contains(listed, string(s.Action)) {
			t.Errorf("README Commands lacks %s", s.Action)
		}
	}
	for _, name := range listed {
		if _, ok := actions.Get(actions.Action(name)); !ok {
			t.Errorf("README Commands lists %s, which is not an action", name)
		}
	}
}
