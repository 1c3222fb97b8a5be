package commands

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
)

// importLine is one user of an import CSV.
type importLine struct {
	line     int
	username string
	attrs    map[string]string
	groups   []string
}

// parseImportCSV reads the CSV's lines; problems are per line (the header is
// line 1). It checks what needs no Cognito call.
func parseImportCSV(content []byte) ([]importLine, []bulkview.LineProblem) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, []bulkview.LineProblem{{Line: 1, Problem: "The file has no CSV header."}}
	}
	col := map[string]int{}
	var problems []bulkview.LineProblem
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch {
		case h == "":
			problems = append(problems, bulkview.LineProblem{Line: 1, Problem: fmt.Sprintf("Column %d has no name.", i+1)})
		case h != "groups" && h != "username" && !flows.AttrNamePattern.MatchString(h):
			problems = append(problems, bulkview.LineProblem{Line: 1, Problem: fmt.Sprintf("Column %q is not an attribute name.", h)})
		default:
			if _, dup := col[h]; dup {
				problems = append(problems, bulkview.LineProblem{Line: 1, Problem: fmt.Sprintf("Column %q appears twice.", h)})
			}
			col[h] = i
		}
	}
	if _, ok := col["username"]; !ok {
		problems = append(problems, bulkview.LineProblem{Line: 1, Problem: "The header needs a username column."})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var lines []importLine
	seen := map[string]int{}
	for n := 2; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, bulkview.LineProblem{Line: n, Problem: "Not valid CSV."})
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(lines)+len(problems) >= jobs.MaxBulkInputs {
			return nil, []bulkview.LineProblem{{Line: n, Problem: fmt.Sprintf("More than %d users; split the file.", jobs.MaxBulkInputs)}}
		}
		l := importLine{line: n, attrs: map[string]string{}}
		for name, i := range col {
			v := ""
			if i < len(rec) {
				v = bulk.UnsafeCell(strings.TrimSpace(rec[i]))
			}
			switch {
			case name == "username":
				l.username = v
			case name == "groups":
				for _, g := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '|' }) {
					if g = strings.TrimSpace(g); g != "" && !slices.Contains(l.groups, g) {
						l.groups = append(l.groups, g)
					}
				}
			case v != "":
				l.attrs[name] = v
			}
		}
		slices.Sort(l.groups)
		p := usercmd.CreateProblem(usercmd.NewUserSpec{Username: l.username, Attrs: l.attrs})
		if p == "" && l.attrs["email"] == "" {
			p = "An email is required: Cognito sends the invitation there."
		}
		if prev, dup := seen[l.username]; dup && p == "" {
			p = fmt.Sprintf("Username %q is already on line %d.", l.username, prev)
		}
		if p != "" {
			problems = append(problems, bulkview.LineProblem{Line: n, Problem: p})
			continue
		}
		seen[l.username] = n
		lines = append(lines, l)
	}
	if len(lines) == 0 && len(problems) == 0 {
		problems = append(problems, bulkview.LineProblem{Line: 2, Problem: "The file has no users."})
	}
	return lines, problems
}
