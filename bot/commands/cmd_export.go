package commands

import (
	"context"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/exports"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

func parseExport(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	f, err := desk.ParseFlags(args, []string{"pool", "status", "group", "prefix", "attributes", "created-before", "reason"}, []string{"enabled", "disabled", "with-groups"})
	if err != nil {
		return usercmd.Invocation{}, err
	}
	if len(f.Pos) > 0 {
		return usercmd.Invocation{}, desk.Usagef("`export` takes only flags, e.g. `export --status CONFIRMED --with-groups`.")
	}
	pool, err := b.Pool(f)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	filter, err := filterFlags(f, pool)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	er := exports.Request{Pool: pool, Filter: filter, WithGroups: f.Bools["with-groups"], Reason: f.Values["reason"]}
	if er.CreatedBefore, err = b.createdBeforeFlag(f); err != nil {
		return usercmd.Invocation{}, err
	}
	if a := strings.TrimSpace(f.Values["attributes"]); a != "" && !strings.EqualFold(a, "all") {
		for _, name := range strings.Split(a, ",") {
			name = strings.TrimSpace(name)
			if !flows.AttrNamePattern.MatchString(name) {
				return usercmd.Invocation{}, desk.Usagef("`--attributes` takes `all` or names such as `email,custom:tenant`.")
			}
			if !slices.Contains(er.Attributes, name) {
				er.Attributes = append(er.Attributes, name)
			}
		}
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error { return b.export(ctx, req, er) }}, nil
}

// export asks the policy, then sends the request for approval or runs it.
func (b *Commands) export(ctx context.Context, req *transport.Request, er exports.Request) error {
	step := exports.Step(er)
	step.AuditID = auditid.ForRequest(auditid.Export, req.Ref)
	d := b.Ask(ctx, req, policy.Request{Action: actions.Export, Pool: er.Pool.Name, HasReason: er.Reason != ""})
	switch {
	case d.Verdict == policy.Deny:
		b.RefuseAsked(ctx, req, step, d)
		return nil
	case d.NeedReason:
		b.RefuseAsked(ctx, req, step, policy.Decision{Reason: "an export needs a reason here; run it again with `--reason \"…\"`"})
		return nil
	case d.Verdict == policy.Approve:
		return b.Exports.RequestApproval(ctx, req, er, d.Rule)
	}
	return b.Exports.Start(ctx, req, er, step)
}
