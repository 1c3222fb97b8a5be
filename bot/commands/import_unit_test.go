package commands

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bulk"
)

// A file the bot exported imports as it was: the quote its export puts before
// a phone number's "+" (against formula injection) is taken off again, and
// nothing else that starts with a quote is touched.
func TestImportReadsBackWhatExportNeutralised(t *testing.T) {
	csv := "username,email,phone_number,name\n" +
		"ann,ann@example.com," + bulk.SafeCell("+15555550100") + ",'Quoted' Ann\n"
	lines, problems := parseImportCSV([]byte(csv))
	if len(problems) > 0 || len(lines) != 1 {
		t.Fatalf("lines %+v, problems %+v", lines, problems)
	}
	if got := lines[0].attrs["phone_number"]; got != "+15555550100" {
		t.Errorf("phone_number = %q; want +15555550100", got)
	}
	if got := lines[0].attrs["name"]; got != "'Quoted' Ann" {
		t.Errorf("name = %q; a quote not put there by the export stays", got)
	}
}
