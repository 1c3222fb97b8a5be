package logging

import (
	"regexp"

	"go.uber.org/zap"
)

// quoted is a Go-quoted string inside an error's text, as fmt's %q writes it.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// Error is zap.Error for an error that may name a user: the directory's errors
// quote the username they concern (`disabling user "alice": …`), and the
// operators' logs name no user — the audit log, which the log line's ids lead
// to, records who. Every quoted string in the text is replaced by "…"; the
// rest (the operation, the sentinel, AWS's code) stays.
func Error(err error) zap.Field {
	if err == nil {
		return zap.Skip()
	}
	return zap.String("error", quoted.ReplaceAllString(err.Error(), `"…"`))
}
