package deploy

import (
	"bufio"
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// modulePath prefixes every import of a package of this repository.
const modulePath = "github.com/cognito-bot/cognito-bot/"

// maxPackageLines bounds a package's production code, so each package is
// something a newcomer can read through and name in one line (README, "How the
// code is laid out").
const maxPackageLines = 2500

// packagesOfTheModule reads every production Go file under the module and
// returns, per package directory, its production line count and the packages
// of this module it imports.
func packagesOfTheModule(t *testing.T) (lines map[string]int, imports map[string][]string) {
	t.Helper()
	lines, imports = map[string]int{}, map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(strings.TrimPrefix(p, "../")))
		lines[dir] += bytes.Count(src, []byte("\n"))
		f, err := parser.ParseFile(fset, p, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if dep, ok := strings.CutPrefix(strings.Trim(imp.Path.Value, `"`), modulePath); ok && !slices.Contains(imports[dir], dep) {
				imports[dir] = append(imports[dir], dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 10 {
		t.Fatalf("found only %d packages: is the walk rooted at the module?", len(lines))
	}
	return lines, imports
}

func TestNoPackageIsOverTheBound(t *testing.T) {
	t.Parallel()
	lines, _ := packagesOfTheModule(t)
	for dir, n := range lines {
		if n > maxPackageLines {
			t.Errorf("package %s has %d production lines, over %d: split it along a seam and name the parts in the README", dir, n, maxPackageLines)
		}
	}
}

// importRule is one line of the README's "Who may import whom" block: the
// packages it names on the left may import only the packages on its right.
var importRule = regexp.MustCompile(`^(\S+(?:, \S+)*) → (.*)$`)

// allowedImports parses the README's block. Names may use braces
// (internal/{config,policy}) and a trailing /... for a package and those
// under it; text in parentheses is a comment, "nothing" an empty list.
func allowedImports(t *testing.T) map[string][]string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "**Who may import whom**")
	if !ok {
		t.Fatal(`README has no "**Who may import whom**" block`)
	}
	_, block, _ = strings.Cut(block, "```\n")
	block, _, _ = strings.Cut(block, "```")
	rules := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(block))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "("); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		m := importRule.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("README import rule %q is not `pkg[, pkg] → dep, dep`", sc.Text())
		}
		var deps []string
		if m[2] != "nothing" {
			deps = expandNames(m[2])
		}
		for _, p := range expandNames(m[1]) {
			rules[p] = append(rules[p], deps...)
		}
	}
	return rules
}

// expandNames splits "a, b/{c,d}" into a, b/c, b/d.
func expandNames(list string) []string {
	var out []string
	depth, start := 0, 0
	emit := func(s string) {
		s = strings.TrimSpace(s)
		if pre, rest, ok := strings.Cut(s, "{"); ok {
			inner, post, _ := strings.Cut(rest, "}")
			for _, part := range strings.Split(inner, ",") {
				out = append(out, pre+strings.TrimSpace(part)+post)
			}
			return
		}
		if s != "" {
			out = append(out, s)
		}
	}
	for i, r := range list {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				emit(list[start:i])
				start = i + 1
			}
		}
	}
	emit(list[start:])
	return out
}

// allows says whether a rule's list admits dep: by name, or by a name ending
// in /... for it and everything under it.
func allows(list []string, dep string) bool {
	for _, a := range list {
		if a == dep {
			return true
		}
		if base, ok := strings.CutSuffix(a, "/..."); ok && (dep == base || strings.HasPrefix(dep, base+"/")) {
			return true
		}
	}
	return false
}

func TestImportsFollowTheREADMEPicture(t *testing.T) {
	t.Parallel()
	rules := allowedImports(t)
	lines, imports := packagesOfTheModule(t)
	for dir := range lines {
		list, ok := rules[dir]
		if !ok {
			t.Errorf("package %s is not in the README's \"Who may import whom\" block: add its line", dir)
			continue
		}
		for _, dep := range imports[dir] {
			if !allows(list, dep) {
				t.Errorf("%s imports %s, which the README's picture does not allow (%s → %s)", dir, dep, dir, strings.Join(list, ", "))
			}
		}
	}
	for p := range rules {
		if _, ok := lines[p]; !ok {
			t.Errorf("the README's picture names %s, which is not a package of the module", p)
		}
	}
}
