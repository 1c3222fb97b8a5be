package bulk

import (
	"context"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// ImportOp creates one user of an import job: the attributes and groups its
// line gave (target Data "attr.NAME" and "groups", ";"-separated), invited by
// Cognito by email, or not at all when the job's invitation is "suppressed".
// A suppressed user gets a password Cognito generates and nobody sees: they
// cannot sign in until invited later. No password is ever shown or recorded.
// A username taken since the dry run fails the target; it is never overwritten.
func ImportOp(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, string, error) {
	in := cognito.NewUser{Username: t.Username, Attributes: map[string]string{}, Invitation: cognito.InviteEmail}
	if job.Args["invitation"] == "suppressed" {
		in.Invitation = cognito.InviteSuppress
	}
	for k, v := range t.Data {
		if name, ok := strings.CutPrefix(k, "attr."); ok {
			in.Attributes[name] = v
		}
	}
	var u *cognito.User
	var res cognito.Result
	err := call(ctx, "UserCreation", func() (err error) {
		u, res, err = s.Users.CreateUser(ctx, job.PoolID, in)
		return err
	})
	if err != nil {
		return pipeline.Result{RequestID: cognito.RequestID(err)}, "", err
	}
	resolved := &audit.Target{Pool: job.PoolID, Username: u.Username, Sub: u.Sub}
	if g := t.Data["groups"]; g != "" {
		for _, group := range strings.Split(g, ";") {
			if err := addToGroup(ctx, s, call, job, u.Username, group); err != nil {
				return pipeline.Result{Resolved: resolved, RequestID: res.RequestID}, "", err
			}
		}
	}
	return pipeline.Result{Summary: "Created " + u.Username, RequestID: res.RequestID, Resolved: resolved}, "", nil
}

// addToGroup adds a created user to one of its line's groups.
func addToGroup(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, username, group string) error {
	err := call(ctx, "UserUpdate", func() error {
		_, err := s.Users.AddToGroup(ctx, job.PoolID, username, group)
		return err
	})
	if err != nil {
		return fmt.Errorf("created, but adding to group %q: %w", group, err)
	}
	return nil
}

// importGroups is the groups an import target's line puts its user into, for
// the policy's check of the step (add-to-group); nil for other targets.
func importGroups(t audit.JobTarget) []string {
	if g := t.Data["groups"]; g != "" {
		return strings.Split(g, ";")
	}
	return nil
}
