package bulk

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// ResultsCSV renders a job's rows with the header username,sub,action,outcome,error.
// Cells that a spreadsheet would run as a formula are prefixed with a quote.
func ResultsCSV(rows []Row) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"username", "sub", "action", "outcome", "error"})
	for _, r := range rows {
		_ = w.Write([]string{SafeCell(r.Username), SafeCell(r.Sub), r.Action, r.Outcome, SafeCell(r.Error)})
	}
	w.Flush()
	return buf.Bytes()
}

// formulaStart are the first characters a spreadsheet runs a cell as a formula for.
const formulaStart = "=+-@\t\r"

// SafeCell neutralizes spreadsheet formula injection (a cell starting with =, +,
// -, @, tab or carriage return) by prefixing a single quote.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// UnsafeCell undoes SafeCell, so a file the bot exported (a phone number
// +15555550100 written as '+15555550100) imports as it was.
func UnsafeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
