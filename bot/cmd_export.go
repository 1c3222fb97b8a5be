package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// exportTimeout bounds one export; it outlives the interaction's deadline
// because a large pool takes minutes at the ListUsers quota.
const exportTimeout = 30 * time.Minute

// exportColumns are the columns every export starts with.
var exportColumns = []string{"username", "sub", "status", "enabled", "created", "modified"}

// exportRequest is a parsed export command.
type exportRequest struct {
	pool   config.Pool
	filter desk.ListSession
	// attributes are the attribute columns asked for; nil means all of the pool's.
	attributes []string
	withGroups bool
	// createdBefore keeps only users created before it (zero: any).
	createdBefore time.Time
	reason        string
}

func parseExport(b *Bot, req *request, args []string) (invocation, error) {
	f, err := parseFlags(args, []string{"pool", "status", "group", "prefix", "attributes", "created-before", "reason"}, []string{"enabled", "disabled", "with-groups"})
	if err != nil {
		return invocation{}, err
	}
	if len(f.pos) > 0 {
		return invocation{}, desk.Usagef("`export` takes only flags, e.g. `export --status CONFIRMED --with-groups`.")
	}
	pool, err := b.pool(f)
	if err != nil {
		return invocation{}, err
	}
	filter, err := filterFlags(f, pool)
	if err != nil {
		return invocation{}, err
	}
	er := exportRequest{pool: pool, filter: filter, withGroups: f.bools["with-groups"], reason: f.values["reason"]}
	if er.createdBefore, err = b.createdBeforeFlag(f); err != nil {
		return invocation{}, err
	}
	if a := strings.TrimSpace(f.values["attributes"]); a != "" && !strings.EqualFold(a, "all") {
		for _, name := range strings.Split(a, ",") {
			name = strings.TrimSpace(name)
			if !attrNamePattern.MatchString(name) {
				return invocation{}, desk.Usagef("`--attributes` takes `all` or names such as `email,custom:tenant`.")
			}
			if !slices.Contains(er.attributes, name) {
				er.attributes = append(er.attributes, name)
			}
		}
	}
	return invocation{Run: func(ctx context.Context) error { return b.export(ctx, req, er) }}, nil
}

// exportFilterText describes an export's filter for people and the audit log.
func exportFilterText(er exportRequest) string {
	text := describeFilter(er.filter)
	if text == "" {
		text = "all users"
	}
	if !er.createdBefore.IsZero() {
		text += ", created before " + er.createdBefore.UTC().Format(time.RFC3339)
	}
	return text
}

// export asks the policy, then sends the request for approval or runs it.
func (b *Bot) export(ctx context.Context, req *request, er exportRequest) error {
	step := exportStep(er)
	step.AuditID = "export#" + transport.HashKey(req.Ref)
	d := b.ask(ctx, req, policy.Request{Action: actions.Export, Pool: er.pool.Name, HasReason: er.reason != ""})
	switch {
	case d.Verdict == policy.Deny:
		b.refuseAsked(ctx, req, step, d)
		return nil
	case d.NeedReason:
		b.refuseAsked(ctx, req, step, policy.Decision{Reason: "an export needs a reason here; run it again with `--reason \"…\"`"})
		return nil
	case d.Verdict == policy.Approve:
		return b.requestExportApproval(ctx, req, er, d.Rule)
	}
	return b.startExport(ctx, req, er, step)
}

// exportStep is an export as an audited step: its filter and columns are
// recorded with it, and its outcome says how many users it wrote.
func exportStep(er exportRequest) pipeline.Step {
	params := map[string]string{"filter": exportFilterText(er), "pool_name": er.pool.Name, "with_groups": strconv.FormatBool(er.withGroups)}
	if er.attributes != nil {
		params["attributes"] = strings.Join(er.attributes, ",")
	} else {
		params["attributes"] = "all"
	}
	return pipeline.Step{Action: actions.Export, Pool: er.pool.Name, Target: desk.TargetOfPool(er.pool), Params: params, Reason: er.reason}
}

// runExport writes every matching user to a CSV sent to the direct messages
// of to (the requester): one audited step for the whole export, authorized for
// the pool, with each Cognito page taken under the job limits (so interactive
// commands keep their share of the quota, and throttling slows it down rather
// than failing it). Personal data never goes to a channel.
func (b *Bot) runExport(ctx context.Context, req *request, er exportRequest, step pipeline.Step, to string) (pipeline.Outcome, bool, int, error) {
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exportTimeout)
	defer cancel()
	stop := context.AfterFunc(b.runContext(), cancel)
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
	out, ok := b.do(ectx, req, step)
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
	name := fmt.Sprintf("export-%s-%s.csv", er.pool.Name, b.Now().UTC().Format("20060102-150405"))
	content, size, err := spool.contents()
	if err != nil {
		return out, true, ex.users, fmt.Errorf("reading the export back: %w", err)
	}
	if err := b.sendFile(ectx, to, name, "Export of "+er.pool.Name,
		fmt.Sprintf("Export of %s (%s): %d users.", er.pool.Name, exportFilterText(er), ex.users), content, size); err != nil {
		return out, true, ex.users, fmt.Errorf("sending the export: %w", err)
	}
	return out, true, ex.users, nil
}
