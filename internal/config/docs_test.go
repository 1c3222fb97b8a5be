package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// regenerateLists is the command that rewrites the documented action lists.
const regenerateLists = "go test ./internal/config -run ActionLists -update"

// docList is one action list in a repository file, kept between the markers
// <!-- actions:NAME --> and <!-- /actions:NAME -->. -update rewrites only
// the text between them; everything around them is prose written by hand.
type docList struct {
	file, name string
	want       []string
	// inline lists sit inside a Markdown paragraph as one code span; the
	// others are YAML comment lines, one list wrapped under its marker line.
	inline bool
	// block, when set, is the whole text between marker lines of their own
	// (the README's command list), compared as it is rather than as names.
	block string
}

// The columns the generated lists wrap at: the README's paragraphs and the
// example's comments are wrapped about there by hand.
const (
	inlineListWidth = 104
	yamlListWidth   = 76
)

func names(specs []actions.Spec, keep func(actions.Spec) bool) []string {
	var out []string
	for _, s := range specs {
		if keep(s) {
			out = append(out, string(s.Action))
		}
	}
	return out
}

// documentedLists are the action lists people copy roles and approval rules
// from, in the example configuration and in the README alike, and the
// README's list of every command.
func documentedLists() []docList {
	all := names(actions.All(), func(actions.Spec) bool { return true })
	destructive := names(actions.All(), func(s actions.Spec) bool { return s.Destructive })
	userUpdate := names(actions.All(), func(s actions.Spec) bool { return s.Quota == "UserUpdate" && s.Op != nil })
	return []docList{
		{file: "cognito-bot.example.yaml", name: "all", want: all, inline: false},
		{file: "cognito-bot.example.yaml", name: "destructive", want: destructive, inline: false},
		{file: "cognito-bot.example.yaml", name: "user_update", want: userUpdate, inline: false},
		{file: "README.md", name: "all", want: all, inline: true},
		{file: "README.md", name: "destructive", want: destructive, inline: true},
		{file: "README.md", name: "bulk", want: actions.BulkNames(), inline: true},
		{file: "README.md", name: "commands", block: commandBlock(actions.All())},
	}
}

// The lists are the table's: an action added to internal/actions shows in
// them after one -update, and a list edited by hand out of step fails here.
func TestDocumentedActionListsAreTheTables(t *testing.T) {
	docs, changed := map[string]string{}, map[string]bool{}
	for _, l := range documentedLists() {
		if _, ok := docs[l.file]; !ok {
			raw, err := os.ReadFile(filepath.Join("..", "..", l.file))
			if err != nil {
				t.Fatal(err)
			}
			docs[l.file] = string(raw)
		}
		doc := docs[l.file]
		from, to, lead, err := listBounds(doc, l.name, l.inline)
		if err != nil {
			t.Errorf("%s: %v", l.file, err)
			continue
		}
		got := regexp.MustCompile(`[a-z]+(?:-[a-z]+)*`).FindAllString(doc[from:to], -1)
		if l.block != "" && doc[from:to] == l.block || l.block == "" && slices.Equal(got, l.want) {
			continue
		}
		if *updateManifest {
			text := l.block
			if text == "" {
				text = renderList(lead, l)
			}
			docs[l.file] = doc[:from] + text + doc[to:]
			changed[l.file] = true
			continue
		}
		if l.block != "" {
			t.Errorf("%s's actions:%s block is out of date with internal/actions; run: %s\nwant:\n%s",
				l.file, l.name, regenerateLists, l.block)
			continue
		}
		t.Errorf("%s's actions:%s list is out of date with internal/actions; run: %s\n got: %v\nwant: %v",
			l.file, l.name, regenerateLists, got, l.want)
	}
	for file := range changed {
		if err := os.WriteFile(filepath.Join("..", "..", file), []byte(docs[file]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// listBounds returns where the text of list name starts and ends in doc, and
// what precedes it on its line: for an inline list, the text before the
// opening marker's end; for a YAML one, the comment's indent and "# ",
// which every generated line repeats; for a Markdown block, nothing (its
// markers are HTML comments on lines of their own).
func listBounds(doc, name string, inline bool) (from, to int, lead string, err error) {
	begin, end := "<!-- actions:"+name+" -->", "<!-- /actions:"+name+" -->"
	if strings.Count(doc, begin) != 1 || strings.Count(doc, end) != 1 {
		return 0, 0, "", fmt.Errorf("want exactly one %s and one %s around the list", begin, end)
	}
	at := strings.Index(doc, begin)
	lineStart := strings.LastIndexByte(doc[:at], '\n') + 1
	from, to = at+len(begin), strings.Index(doc, end)
	if to < from {
		return 0, 0, "", fmt.Errorf("%s must come after %s", end, begin)
	}
	if inline {
		return from, to, doc[lineStart:from], nil
	}
	next := strings.IndexByte(doc[from:], '\n') + from + 1
	endLine := strings.LastIndexByte(doc[:to], '\n') + 1
	if next > endLine || strings.TrimSpace(doc[from:next]) != "" || strings.TrimSpace(doc[endLine:to]) != strings.TrimSpace(doc[lineStart:at]) {
		return 0, 0, "", fmt.Errorf("%s and %s must be comment lines of their own", begin, end)
	}
	return next, endLine, doc[lineStart:at], nil
}

// renderList writes list l's names wrapped to its width: for an inline list
// one code span continuing the line lead began, for a YAML one whole comment
// lines starting with lead.
func renderList(lead string, l docList) string {
	sep, width, open, close := ", ", yamlListWidth, "", ""
	if l.inline {
		sep, width, open, close = " ", inlineListWidth, "`", "`"
	}
	var b strings.Builder
	col := len(lead)
	if !l.inline {
		b.WriteString(lead)
	}
	b.WriteString(open)
	col += len(open)
	for i, w := range l.want {
		piece := w
		if i < len(l.want)-1 {
			piece += strings.TrimRight(sep, " ")
		} else {
			piece += close
		}
		gap := strings.TrimLeft(sep, ",")
		if i == 0 {
			gap = ""
		}
		switch {
		case i > 0 && col+len(gap)+len(piece) > width && l.inline:
			b.WriteString("\n")
			col = 0
		case i > 0 && col+len(gap)+len(piece) > width:
			b.WriteString("\n" + lead)
			col = len(lead)
		default:
			b.WriteString(gap)
			col += len(gap)
		}
		b.WriteString(piece)
		col += len(piece)
	}
	if !l.inline {
		b.WriteString("\n")
	}
	return b.String()
}
