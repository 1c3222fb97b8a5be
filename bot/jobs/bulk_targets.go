package jobs

import (
	"context"
	"errors"
	"slices"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// ResolveInputs finds each named user: by exact username first, else as an
// email, phone or sub that must match exactly one user. Each call goes through
// call, under its quota category.
func ResolveInputs(ctx context.Context, d pipeline.Directory, call bulk.Caller, br BulkRequest) ([]audit.JobTarget, error) {
	seen := map[string]bool{}
	var out []audit.JobTarget
	for i, in := range br.Inputs {
		if br.Read != nil {
			br.Read(i)
		}
		var u *cognito.User
		err := call(ctx, "UserRead", func() (err error) { u, err = d.GetUser(ctx, br.Pool.ID, in); return err })
		if errors.Is(err, cognito.ErrUserNotFound) {
			u, err = nil, nil
			var found []cognito.User
			ferr := call(ctx, "UserList", func() (err error) { found, err = d.FindUsers(ctx, br.Pool.ID, in, 2); return err })
			switch {
			case errors.Is(ferr, cognito.ErrInvalidQuery):
			case ferr != nil:
				return nil, ferr
			case len(found) == 1:
				u = &found[0]
			case len(found) > 1:
				out = append(out, audit.JobTarget{Input: in, State: audit.TargetSkipped, Note: "matches several users"})
				continue
			}
		}
		if err != nil {
			return nil, err
		}
		if u == nil {
			out = append(out, audit.JobTarget{Input: in, State: audit.TargetSkipped, Note: "not found"})
			continue
		}
		if seen[u.Username] {
			continue
		}
		seen[u.Username] = true
		out = append(out, targetOf(br, in, *u))
	}
	if br.Read != nil {
		br.Read(len(br.Inputs))
	}
	return out, nil
}

// ResolveFilter lists every user matching the filter, page by page. A
// listing carries no groups, so the members of the protected groups are read
// first (one listing per group): the dry run then shows them as skipped, and
// the approval threshold does not count them.
func (b *Jobs) ResolveFilter(ctx context.Context, d pipeline.Directory, br BulkRequest) ([]audit.JobTarget, error) {
	protected, err := b.protectedMembers(ctx, d, br.Pool)
	if err != nil {
		return nil, err
	}
	var out []audit.JobTarget
	read := 0
	err = b.eachUser(ctx, d, br.Pool, ListFilterOf(*br.Filter), func(u cognito.User) error {
		if read++; br.Read != nil {
			br.Read(read)
		}
		if !br.CreatedBefore.IsZero() && !u.Created.Before(br.CreatedBefore) {
			return nil
		}
		if len(out) >= MaxBulkInputs {
			return desk.Usagef("More than %d users match; narrow the filter.", MaxBulkInputs)
		}
		u.Groups = protected[u.Username]
		out = append(out, targetOf(br, u.Username, u))
		return nil
	})
	return out, err
}

// protectedMembers maps each member of a protected group of the pool to
// those groups.
func (b *Jobs) protectedMembers(ctx context.Context, d pipeline.Directory, pool config.Pool) (map[string][]string, error) {
	members := map[string][]string{}
	for _, g := range b.Cfg.ProtectedGroups {
		err := b.eachUser(ctx, d, pool, cognito.ListFilter{Group: g}, func(u cognito.User) error {
			members[u.Username] = append(members[u.Username], g)
			return nil
		})
		if errors.Is(err, cognito.ErrGroupNotFound) {
			continue // not a group of this pool
		}
		if err != nil {
			return nil, err
		}
	}
	return members, nil
}

// eachUser calls fn for every user the filter lists, page by page, each page
// under the job limits' share of the quota.
func (b *Jobs) eachUser(ctx context.Context, d pipeline.Directory, pool config.Pool, f cognito.ListFilter, fn func(cognito.User) error) error {
	token := ""
	for {
		var page cognito.Page
		err := b.BulkLimits.Call(ctx, "UserList", func() (err error) {
			page, err = d.ListUsers(ctx, pool.ID, f, MaxPageSize, token)
			return err
		})
		if err != nil {
			return err
		}
		for _, u := range page.Users {
			if err := fn(u); err != nil {
				return err
			}
		}
		if page.NextToken == "" {
			return nil
		}
		token = page.NextToken
	}
}

// targetOf is one user of a dry run, marked skipped when the job would leave
// them alone. A protected member is caught again when the job reaches them
// (ActionOp reads the user whole), whoever joined the group since.
func targetOf(br BulkRequest, input string, u cognito.User) audit.JobTarget {
	t := audit.JobTarget{Input: input, Username: u.Username, Sub: u.Sub}
	why := bulk.SkipReason(br.Spec, u, br.Args)
	if why == "" && br.Guard != nil {
		why = br.Guard(u)
	}
	if why != "" {
		t.State, t.Note = audit.TargetSkipped, why
	}
	return t
}

// PreviewGuard is jobGuard for the dry run, before the job exists: it shows
// which users the job will leave alone (protected groups' members), whether
// or not the job then needs approval — that is the job's own decision.
func (b *Jobs) PreviewGuard(ctx context.Context, req *transport.Request, br BulkRequest) func(cognito.User) string {
	who := b.Policy.Resolve(ctx, pipeline.PolicyActor(req.Actor))
	return func(u cognito.User) string {
		d := b.Policy.Decide(ctx, who, policy.Request{
			Stage: policy.Run, Action: br.Spec.Action, Channel: req.Channel, Pool: br.Pool.Name, TargetGroups: slices.Clone(u.Groups),
			AddGroups: flows.AddedGroups(br.Spec.Action, br.Args), Job: &policy.Job{Target: true}, Execute: true, Approved: true,
		})
		if d.Allowed() {
			return ""
		}
		return d.Reason
	}
}
