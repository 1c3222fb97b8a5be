package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/chain"
)

// brokenLog is a log whose Verify finds what it is told to; the audit package's
// contract tests check that Verify finds real tampering, this checks how the
// command reports it.
type brokenLog struct {
	*audit.MemoryLog
	breaks []chain.Break
}

func (l brokenLog) Verify(ctx context.Context, opts chain.VerifyOptions) (chain.VerifyReport, error) {
	rep, err := l.MemoryLog.Verify(ctx, opts)
	for _, b := range l.breaks {
		rep.Breaks++
		opts.OnBreak(b)
	}
	return rep, err
}

func sampleLog(t *testing.T) *audit.MemoryLog {
	t.Helper()
	log := audit.NewMemoryLog(0)
	for i, reason := range []string{"INC-1 offboarding", "=HYPERLINK(\"https://evil\")", "+1 for the team"} {
		e := audit.Entry{ID: "cmd#" + string(rune('a'+i)), Action: "disable", Actor: audit.Actor{UserID: "U1", TeamID: "T1"},
			Target: audit.Target{Pool: "p", Username: "bob"}, Decision: audit.Allowed, Reason: reason}
		if err := log.Begin(t.Context(), e); err != nil {
			t.Fatal(err)
		}
		if err := log.Finish(t.Context(), e.ID, audit.OutcomeOK, "done", ""); err != nil {
			t.Fatal(err)
		}
	}
	return log
}

func TestAuditVerifyExitCodes(t *testing.T) {
	log := sampleLog(t)
	a, err := log.Anchor(t.Context(), "anchor#1")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := verifyAudit(t.Context(), log, time.Time{}, time.Time{}, a.Digest, &out, &errOut); code != exitOK {
		t.Fatalf("intact log: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "the audit chain is intact") || !strings.Contains(out.String(), a.Digest+"  matches") {
		t.Errorf("intact log output:\n%s", out.String())
	}
	out.Reset()
	if code := verifyAudit(t.Context(), log, time.Time{}, time.Time{}, strings.Repeat("0", 64), &out, &errOut); code != exitError ||
		!strings.Contains(out.String(), "was not found") {
		t.Errorf("unknown anchor: exit %d\n%s", code, out.String())
	}
	out.Reset()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	broken := brokenLog{log, []chain.Break{{ID: "cmd#b", Time: at, Kind: chain.BreakChanged, Detail: "its content no longer matches"}}}
	if code := verifyAudit(t.Context(), broken, time.Time{}, time.Time{}, "", &out, &errOut); code != exitError {
		t.Errorf("broken log: exit %d", code)
	}
	if want := "BREAK cmd#b  2026-03-04T05:06:07.000000000Z  changed: its content no longer matches"; !strings.Contains(out.String(), want) ||
		!strings.Contains(out.String(), "BROKEN: 1 break") {
		t.Errorf("broken log output:\n%s\nwant %q", out.String(), want)
	}
}

func TestAuditExportFormats(t *testing.T) {
	log := sampleLog(t)
	var out, errOut bytes.Buffer
	if code := exportAudit(t.Context(), log, time.Time{}, "jsonl", &out, &errOut); code != exitOK {
		t.Fatalf("jsonl: exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 { // three entries, three outcomes
		t.Fatalf("jsonl: %d lines:\n%s", len(lines), out.String())
	}
	var prev string
	for _, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		sk, _ := rec["chain_sk"].(string)
		if sk == "" || rec["chain_hash"] == nil || sk < prev {
			t.Errorf("record out of order or without its link: %v", rec)
		}
		prev = sk
	}
	out.Reset()
	if code := exportAudit(t.Context(), log, time.Time{}, "csv", &out, &errOut); code != exitOK {
		t.Fatalf("csv: exit %d: %s", code, errOut.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 7 || strings.Join(rows[0], ",") != strings.Join(chain.ExportColumns, ",") {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	reasons := map[string]bool{}
	col := func(name string) int {
		for i, c := range chain.ExportColumns {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return 0
	}
	for _, r := range rows[1:] {
		reasons[r[col("reason")]] = true
	}
	if !reasons[`'=HYPERLINK("https://evil")`] || !reasons["'+1 for the team"] || !reasons["INC-1 offboarding"] {
		t.Errorf("csv cells not neutralized: %v", reasons)
	}
}

func TestAuditCommandLine(t *testing.T) {
	opts, err := parseArgs([]string{"audit", "verify", "--since", "24h", "--anchor", "abc"}, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil || opts.sub != "audit" || opts.auditSub != "verify" || opts.since != "24h" || opts.anchor != "abc" {
		t.Errorf("audit verify: %+v %v", opts, err)
	}
	if _, err := parseArgs([]string{"migrate", "--since", "24h"}, func(string) string { return "" }, &bytes.Buffer{}); err == nil {
		t.Error("--since outside audit was accepted")
	}
	var out, errOut bytes.Buffer
	if code := Main([]string{"audit", "export", "--format", "xml"}, "test", func(string) string { return "" }, &out, &errOut); code != exitUsage ||
		!strings.Contains(errOut.String(), "--format must be jsonl or csv") {
		t.Errorf("bad format: exit %d %s", code, errOut.String())
	}
	if code := Main([]string{"audit", "verify", "--since", "yesterday"}, "test", func(string) string { return "" }, &out, &errOut); code != exitUsage {
		t.Errorf("bad since: exit %d", code)
	}
	if s, _ := sinceFlag("7d", time.Date(2026, 1, 8, 0, 0, 0, 0, time.UTC)); !s.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("since 7d = %v", s)
	}
}
