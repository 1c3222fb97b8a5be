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

// SafeCell neutralizes spreadsheet formula injection (a cell starting with =, +,
// -, @, tab or carriage return) by prefixing a single quote.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
