package logging

import (
	"testing"

	smithylog "github.com/aws/smithy-go/logging"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestAWSSDKMessagesBecomeLogEntriesAtTheirLevel(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	sdk := AWS(zap.New(core).Named("aws"))
	sdk.Logf(smithylog.Warn, "Response has no supported checksum. Not validating response payload.")
	sdk.Logf(smithylog.Debug, "retrying request %s, attempt %d", "DescribeTable", 2)
	sdk.Logf(smithylog.Classification("INFO"), "plain")

	got := logs.All()
	if len(got) != 3 {
		t.Fatalf("%d entries, want 3", len(got))
	}
	want := []struct {
		level zapcore.Level
		msg   string
	}{
		{zapcore.WarnLevel, "Response has no supported checksum. Not validating response payload."},
		{zapcore.DebugLevel, "retrying request DescribeTable, attempt 2"},
		{zapcore.InfoLevel, "plain"},
	}
	for i, w := range want {
		if got[i].Level != w.level || got[i].Message != w.msg || got[i].LoggerName != "aws" {
			t.Errorf("entry %d = %s %q (logger %q), want %s %q from logger aws", i, got[i].Level, got[i].Message, got[i].LoggerName, w.level, w.msg)
		}
	}
}
