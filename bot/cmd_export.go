package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

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
