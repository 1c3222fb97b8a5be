package exports

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// exportTimeout bounds one export; it outlives the interaction's deadline
// because a large pool takes minutes at the ListUsers quota.
const exportTimeout = 30 * time.Minute

// exportColumns are the columns every export starts with.
var exportColumns = []string{"username", "sub", "status", "enabled", "created", "modified"}

// Request is a parsed export command.
type Request struct {
	Pool   config.Pool
	Filter desk.ListSession
	// attributes are the attribute columns asked for; nil means all of the pool's.
	Attributes []string
	WithGroups bool
	// createdBefore keeps only users created before it (zero: any).
	CreatedBefore time.Time
	Reason        string
}

// exportFilterText describes an export's filter for people and the audit log.
func exportFilterText(er Request) string {
	text := jobs.DescribeFilter(er.Filter)
	if text == "" {
		text = "all users"
	}
	if !er.CreatedBefore.IsZero() {
		text += ", created before " + er.CreatedBefore.UTC().Format(time.RFC3339)
	}
	return text
}

// ExportStep is an export as an audited step: its filter and columns are
// recorded with it, and its outcome says how many users it wrote.
func Step(er Request) pipeline.Step {
	params := map[string]string{"filter": exportFilterText(er), "pool_name": er.Pool.Name, "with_groups": strconv.FormatBool(er.WithGroups)}
	if er.Attributes != nil {
		params["attributes"] = strings.Join(er.Attributes, ",")
	} else {
		params["attributes"] = "all"
	}
	return pipeline.Step{Action: actions.Export, Pool: er.Pool.Name, Target: desk.TargetOfPool(er.Pool), Params: params, Reason: er.Reason}
}

// runExport writes every matching user to a CSV sent to the direct messages
// of to (the requester): one audited step for the whole export, authorized for
// the pool, with each Cognito page taken under the job limits (so interactive
// commands keep their share of the quota, and throttling slows it down rather
// than failing it). Personal data never goes to a channel.
func (b *Exports) runExport(ctx context.Context, req *transport.Request, er Request, step pipeline.Step, to string) (pipeline.Outcome, bool, int, error) {
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exportTimeout)
	defer cancel()
	stop := context.AfterFunc(b.RunContext(), cancel)
	defer stop()
	spool, err := newSpool()
	if err != nil {
		return pipeline.Outcome{}, true, 0, fmt.Errorf("%w: %w", desk.ErrNoSpool, err)
	}
	defer spool.remove()
	ex := &exporter{b: b, to: to, er: er, started: b.Now(), out: spool}
	step.Op = func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		if err := ex.run(ctx, s.Users); err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err), Summary: fmt.Sprintf("stopped after %d users", ex.users)}, err
		}
		return pipeline.Result{Summary: fmt.Sprintf("exported %d users", ex.users)}, nil
	}
	out, ok := b.Do(ectx, req, step)
	if !ok {
		return out, false, 0, nil
	}
	if out.Err != nil {
		err := out.Err
		ex.report(ectx, true, b.ExplainOnce(&err, req, string(actions.Export)))
		out.Err = err
		return out, true, ex.users, nil
	}
	ex.report(ectx, true, "")
	name := fmt.Sprintf("export-%s-%s.csv", er.Pool.Name, b.Now().UTC().Format("20060102-150405"))
	content, size, err := spool.contents()
	if err != nil {
		return out, true, ex.users, fmt.Errorf("reading the export back: %w", err)
	}
	if err := b.SendFile(ectx, to, name, "Export of "+er.Pool.Name,
		fmt.Sprintf("Export of %s (%s): %d users.", er.Pool.Name, exportFilterText(er), ex.users), content, size); err != nil {
		return out, true, ex.users, fmt.Errorf("sending the export: %w", err)
	}
	return out, true, ex.users, nil
}
