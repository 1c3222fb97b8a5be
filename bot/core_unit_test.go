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
	"testing"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// A Grid user has one identity whether they type a command in one workspace or
// press a button in another, so their own buttons work and their history does not split.
func TestGridUserIsOnePersonForCommandsAndClicks(t *testing.T) {
	cmd := requestFromCommand(slack.SlashCommand{UserID: "W1", TeamID: "T1", EnterpriseID: "E1"}, "env", time.Now())
	cb := slack.InteractionCallback{User: slack.User{ID: "W1", TeamID: "T2"}, Team: slack.Team{ID: "T1"}}
	cb.Enterprise.ID = "E1"
	click := requestFromAction(cb, &slack.BlockAction{ActionID: "x"}, "env2", time.Now())
	if !pipeline.SameActor(cmd.Actor, click.Actor) {
		t.Fatalf("command actor %+v and click actor %+v differ", cmd.Actor, click.Actor)
	}
	// Outside Grid the workspace is the team, for commands and clicks alike.
	cmd = requestFromCommand(slack.SlashCommand{UserID: "U1", TeamID: "T1"}, "env", time.Now())
	click = requestFromAction(slack.InteractionCallback{User: slack.User{ID: "U1", TeamID: "T1"}, Team: slack.Team{ID: "T1"}},
		&slack.BlockAction{}, "env2", time.Now())
	if !pipeline.SameActor(cmd.Actor, click.Actor) || cmd.Actor.TeamID != "T1" {
		t.Fatalf("command actor %+v and click actor %+v differ", cmd.Actor, click.Actor)
	}
}

// Work that waited in the queue past its deadline (counted from the envelope's
// arrival, not from when a worker freed up) is not started late, and the
// person is told nothing was done.
func TestWorkPastItsDeadlineIsNotStarted(t *testing.T) {
	rec := &recordingSlack{}
	b := &Bot{slack: rec, log: zap.NewNop(), timeout: time.Second, now: time.Now}
	ran := false
	b.work(context.Background(), job{req: &request{Arrived: time.Now().Add(-2 * time.Second), ResponseURL: "https://hooks.slack.example/1"},
		run: func(context.Context) { ran = true }})
	b.background.Wait()
	if ran {
		t.Fatal("work started after its deadline had passed")
	}
	if len(rec.posts) != 1 || !strings.Contains(rec.posts[0], "nothing was done") {
		t.Errorf("answers %q; want one saying nothing was done", rec.posts)
	}
	// One that waited its turn in its person's queue counts from its release.
	var from time.Time
	released := time.Now()
	b.work(context.Background(), job{req: &request{Arrived: released.Add(-5 * time.Second)}, released: released,
		run: func(ctx context.Context) { from, _ = ctx.Deadline() }})
	if !from.Equal(released.Add(time.Second)) {
		t.Errorf("deadline %v; want release + timeout %v", from, released.Add(time.Second))
	}
	var deadline time.Time
	arrived := time.Now().Add(-300 * time.Millisecond)
	b.work(context.Background(), job{req: &request{Arrived: arrived}, run: func(ctx context.Context) { deadline, _ = ctx.Deadline() }})
	if !deadline.Equal(arrived.Add(time.Second)) {
		t.Fatalf("deadline %v, want arrival + timeout %v", deadline, arrived.Add(time.Second))
	}
}

// A modal this bot did not open is refused before anything else happens.
func TestUnknownModalIsRefused(t *testing.T) {
	rec := &recordingSlack{}
	b := &Bot{slack: rec, log: zap.NewNop(), now: time.Now} // no state store: touching it would panic
	b.handleSubmission(context.Background(), &request{ResponseURL: "https://hooks.slack.example/1"}, submission{callbackID: "someone_elses_form", meta: "x"})
	if len(rec.posts) != 1 || !strings.Contains(rec.posts[0], "not one of this bot's") {
		t.Fatalf("answers %q; want one refusal", rec.posts)
	}
}

// The bot holds no way to reach Cognito: only the pipeline has the directory.
func TestBotHoldsNoDirectory(t *testing.T) {
	dir := reflect.TypeFor[pipeline.Directory]()
	bt := reflect.TypeFor[Bot]()
	for i := range bt.NumField() {
		f := bt.Field(i)
		if f.Type.Implements(dir) || (f.Type.Kind() == reflect.Interface && hasDirectoryMethod(f.Type)) {
			t.Errorf("Bot.%s (%s) could reach Cognito around the pipeline", f.Name, f.Type)
		}
	}
}

func hasDirectoryMethod(t reflect.Type) bool {
	for i := range t.NumMethod() {
		if _, ok := reflect.TypeFor[pipeline.Directory]().MethodByName(t.Method(i).Name); ok {
			return true
		}
	}
	return false
}

// No package of the bot builds a directory or imports the Cognito SDK: the
// only directory they can reach is the one the pipeline hands its operation.
// (Package bot imports cognito for its types and sentinel errors.)
func TestBotPackagesCannotBuildADirectory(t *testing.T) {
	for _, dir := range []string{".", "bulk", "views", "pipeline"} {
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
