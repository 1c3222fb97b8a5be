package views

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// viewsPath is this package's import path; its subpackages live below it.
const viewsPath = "github.com/cognito-bot/cognito-bot/bot/views"

// Views are pure, here and in every subpackage: production code imports the
// standard library, slack-go's Block Kit types and, in a subpackage, package
// views or a sibling below it — nothing that does I/O or knows Cognito,
// DynamoDB or the bot.
func TestViewsImportOnlyBlockKitAndTheStandardLibrary(t *testing.T) {
	dirs := 0
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(dir, 0)
		if _, none := err.(*build.NoGoError); none {
			return nil
		}
		if err != nil {
			return err
		}
		dirs++
		for _, imp := range pkg.Imports {
			sub := dir != "." && (imp == viewsPath || strings.HasPrefix(imp, viewsPath+"/"))
			if strings.Contains(strings.Split(imp, "/")[0], ".") && imp != "github.com/slack-go/slack" && !sub {
				t.Errorf("bot/views/%s imports %s", filepath.ToSlash(dir), imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dirs < 3 {
		t.Errorf("checked %d packages; want views and its subpackages", dirs)
	}
}
