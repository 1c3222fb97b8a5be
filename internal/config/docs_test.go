package config

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// readDoc returns a repository file with comment markers and line breaks
// flattened, so a list wrapped over several lines reads as one.
func readDoc(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`\n\s*#? ?`).ReplaceAllString(string(raw), " ")
}

// wordsAfter returns the action names in the text between the first match of
// start and the next end, whatever separates them.
func wordsAfter(t *testing.T, doc, start, end string) []string {
	t.Helper()
	i := strings.Index(doc, start)
	if i < 0 {
		t.Fatalf("no %q", start)
	}
	rest := doc[i+len(start):]
	j := strings.Index(rest, end)
	if j < 0 {
		t.Fatalf("no %q after %q", end, start)
	}
	return regexp.MustCompile(`[a-z]+(?:-[a-z]+)*`).FindAllString(rest[:j], -1)
}

func names(specs []actions.Spec, keep func(actions.Spec) bool) []string {
	var out []string
	for _, s := range specs {
		if keep(s) {
			out = append(out, string(s.Action))
		}
	}
	return out
}

// The action lists people copy roles and approval rules from are the table's,
// in the example configuration and in the README alike.
func TestDocumentedActionListsAreTheTables(t *testing.T) {
	all := names(actions.All(), func(actions.Spec) bool { return true })
	destructive := names(actions.All(), func(s actions.Spec) bool { return s.Destructive })
	userUpdate := names(actions.All(), func(s actions.Spec) bool { return s.Quota == "UserUpdate" && s.Op != nil })
	bulk := actions.BulkNames()

	example := readDoc(t, "cognito-bot.example.yaml")
	readme := readDoc(t, "README.md")
	for _, c := range []struct {
		where      string
		doc        string
		start, end string
		want       []string
	}{
		{"example actions", example, "Actions: ", "; \"*\"", all},
		{"example destructive", example, "Destructive actions (", ")", destructive},
		{"example user_update", example, "user_update covers", "(bulk", userUpdate},
		{"README actions", readme, "Actions: `", "`.", all},
		{"README destructive", readme, "Destructive (confirm first): `", "`.", destructive},
		{"README bulk", readme, "beyond the arguments typed once): `", "`.", bulk},
	} {
		got := wordsAfter(t, c.doc, c.start, c.end)
		got = slices.DeleteFunc(got, func(w string) bool { return w == "and" })
		if !slices.Equal(got, c.want) {
			t.Errorf("%s lists\n  %v\nthe table has\n  %v", c.where, got, c.want)
		}
	}
}
