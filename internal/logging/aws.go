package logging

import (
	"fmt"

	smithylog "github.com/aws/smithy-go/logging"
	"go.uber.org/zap"
)

// AWS adapts log to the AWS SDK's logger, so what the SDK says (a retry, a
// response without a checksum, a deprecated setting) arrives as an entry of the
// bot's own log — JSON in production — instead of a plain line written into the
// JSON stream. WARN becomes a warning, DEBUG a debug entry, anything else info.
func AWS(log *zap.Logger) smithylog.Logger {
	return awsLogger{log: log.WithOptions(zap.AddCallerSkip(1))}
}

type awsLogger struct{ log *zap.Logger }

// Logf writes one SDK message.
func (l awsLogger) Logf(c smithylog.Classification, format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	switch c {
	case smithylog.Warn:
		l.log.Warn(msg)
	case smithylog.Debug:
		l.log.Debug(msg)
	default:
		l.log.Info(msg, zap.String("classification", string(c)))
	}
}
