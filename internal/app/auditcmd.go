package app

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// verifySettle is how recent a link may be and still be checked by audit verify:
// DynamoDB's indexes trail the table by a moment, so the newest links are left for
// the next check rather than reported missing.
const verifySettle = 10 * time.Second

// auditLog is what the audit subcommands use of the log.
type auditLog interface {
	Verify(ctx context.Context, opts chain.VerifyOptions) (chain.VerifyReport, error)
	Export(ctx context.Context, since, until time.Time, emit func(chain.ExportRecord) error) error
}

// auditCommand runs `cognito-bot audit verify|export`. Like migrate it needs no
// Slack tokens, only the configuration's tables and AWS credentials.
func auditCommand(opts options, getenv func(string) string, stdout, stderr io.Writer) int {
	if opts.auditSub != "verify" && opts.auditSub != "export" {
		fmt.Fprintf(stderr, "cognito-bot: audit needs verify or export, e.g. cognito-bot audit verify --since 24h\n\n%s", usageText)
		return exitUsage
	}
	since, err := sinceFlag(opts.since, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: %v\n\n%s", err, usageText)
		return exitUsage
	}
	if opts.auditSub == "export" && opts.format != "jsonl" && opts.format != "csv" {
		fmt.Fprintf(stderr, "cognito-bot: --format must be jsonl or csv\n\n%s", usageText)
		return exitUsage
	}
	cfg, code := loadConfig(opts, withoutSlackTokens(getenv, "audit"), stderr)
	if cfg == nil {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	awsCfg, err := loadAWS(ctx, cfg, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: %v\n", err)
		return exitError
	}
	log := audit.NewLog(audit.NewClient(awsCfg), cfg.Audit.Table, cfg.Audit.Retention.Std())
	if opts.auditSub == "export" {
		return exportAudit(ctx, log, since, opts.format, stdout, stderr)
	}
	return verifyAudit(ctx, log, since, time.Now().Add(-verifySettle), opts.anchor, stdout, stderr)
}

// sinceFlag turns --since (a duration such as 24h or 7d; "" for none) into a time.
func sinceFlag(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := config.ParseDuration(s)
	if err != nil || d <= 0 {
		return time.Time{}, fmt.Errorf("--since takes a duration such as 24h or 7d, not %q", s)
	}
	return now.Add(-d.Std()), nil
}

// verifyAudit prints each break and each anchor as found, then a summary; it
// returns 0 when the chain is intact (and, with anchor set, that digest was found
// and matched), else 1.
func verifyAudit(ctx context.Context, log auditLog, since, until time.Time, anchor string, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	anchorFound := false
	rep, err := log.Verify(ctx, chain.VerifyOptions{
		Since: since, Until: until,
		OnBreak: func(b chain.Break) { fmt.Fprintf(out, "BREAK %s\n", b) },
		OnAnchor: func(a chain.Anchor, ok bool) {
			state := "matches"
			if !ok {
				state = "DOES NOT MATCH"
			}
			anchorFound = anchorFound || (ok && a.Digest == anchor)
			fmt.Fprintf(out, "anchor %s  %s  digest %s  %s\n", a.ID, a.Time.Format(time.RFC3339), a.Digest, state)
		},
	})
	if err != nil {
		out.Flush()
		fmt.Fprintf(stderr, "cognito-bot: %v%s\n", err, indexHint(err))
		return exitError
	}
	fmt.Fprint(out, verifySummary(rep))
	if anchor != "" && !anchorFound {
		fmt.Fprintf(out, "anchor digest %s was not found in the log: the log was rewritten, or the anchor is outside --since\n", anchor)
		return exitError
	}
	if !rep.Intact() {
		return exitError
	}
	return exitOK
}

// verifySummary is the closing lines of audit verify.
func verifySummary(rep chain.VerifyReport) string {
	s := fmt.Sprintf("checked %d links (%d entries, %d outcomes) and %d anchors\n", rep.Links, rep.Entries, rep.Outcomes, rep.Anchors)
	if rep.BeforeChain > 0 {
		s += fmt.Sprintf("%d entries before the chain (%s to %s): written before the chain existed, they cannot be checked\n",
			rep.BeforeChain, rep.BeforeFirst.Format(time.RFC3339), rep.BeforeLast.Format(time.RFC3339))
	}
	if rep.Intact() {
		return s + "the audit chain is intact\n"
	}
	return s + fmt.Sprintf("the audit chain is BROKEN: %d break(s) above\n", rep.Breaks)
}

// exportAudit writes every link since since to stdout, one at a time.
func exportAudit(ctx context.Context, log auditLog, since time.Time, format string, stdout, stderr io.Writer) int {
	out := bufio.NewWriterSize(stdout, 64<<10)
	write := jsonlWriter(out)
	var cw *csv.Writer
	if format == "csv" {
		cw = csv.NewWriter(out)
		write = csvWriter(cw)
		if err := cw.Write(chain.ExportColumns); err != nil {
			fmt.Fprintf(stderr, "cognito-bot: writing the export: %v\n", err)
			return exitError
		}
	}
	err := log.Export(ctx, since, time.Time{}, write)
	if cw != nil && err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: exporting the audit log: %v%s\n", err, indexHint(err))
		return exitError
	}
	return exitOK
}

// indexHint says what to do when the table lacks the chain index: a table made
// by an older version, before `cognito-bot migrate` added it.
func indexHint(err error) string {
	if strings.Contains(err.Error(), "specified index") {
		return "\nThe audit table has no by_chain index yet: run `cognito-bot migrate` (or terraform apply) first."
	}
	return ""
}

// jsonlWriter writes a record as one JSON object per line: empty fields left out,
// params as a JSON object.
func jsonlWriter(w io.Writer) func(chain.ExportRecord) error {
	enc := json.NewEncoder(w)
	return func(r chain.ExportRecord) error {
		obj := make(map[string]any, len(r))
		for k, v := range r {
			switch {
			case v == "":
			case k == "params":
				obj[k] = json.RawMessage(v)
			default:
				obj[k] = v
			}
		}
		return enc.Encode(obj)
	}
}

// csvWriter writes a record as a CSV row in chain.ExportColumns order, every cell
// neutralized against spreadsheet formula injection as the Slack export does.
func csvWriter(cw *csv.Writer) func(chain.ExportRecord) error {
	row := make([]string, len(chain.ExportColumns))
	return func(r chain.ExportRecord) error {
		for i, col := range chain.ExportColumns {
			row[i] = bulk.SafeCell(r[col])
		}
		return cw.Write(row)
	}
}
