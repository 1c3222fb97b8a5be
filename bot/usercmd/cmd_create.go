package usercmd

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// createSessions are the sessions behind the create modal.
var createSessions = desk.NewSessionKind[CreateSession]("create")

// CreateSession carries the create modal's context: where to answer and the
// groups the multi-select offered, by index.
type CreateSession struct {
	Groups []string `json:"groups,omitempty"`
	desk.FormOrigin
}

// NewUserSpec is a user to create, from the command line or the modal.
type NewUserSpec struct {
	Username string
	Attrs    map[string]string // email, phone_number, name and the rest
	Groups   []string
	Suppress bool
	// Verified marks the given email (and phone) verified at creation, so
	// codes reach them without a separate verify.
	Verified bool
}

// ParseCreate parses `create`: a username with its attributes and groups, or
// nothing but --pool, which opens the form.
func ParseCreate(b *OneUser, req *transport.Request, args []string) (Invocation, error) {
	f, err := desk.ParseFlags(args, []string{"pool", "email", "phone", "name", "attr", "group"}, []string{"suppress-invite", "verified"}, "attr", "group")
	if err != nil {
		return Invocation{}, err
	}
	pool, err := b.Pool(f)
	if err != nil {
		return Invocation{}, err
	}
	if _, hasPool := f.Values["pool"]; len(f.Pos) == 0 && len(f.Bools) == 0 && len(f.Values) == btoi(hasPool) {
		return Invocation{Run: func(ctx context.Context) error { return b.openCreateForm(ctx, req, pool) }}, nil
	}
	username, err := desk.OnePositional(f, "username")
	if err != nil {
		return Invocation{}, err
	}
	spec := NewUserSpec{Username: username, Attrs: map[string]string{}, Groups: f.Lists["group"], Suppress: f.Bools["suppress-invite"],
		Verified: f.Bools["verified"]}
	for flag, attr := range map[string]string{"email": "email", "phone": "phone_number", "name": "name"} {
		if v, ok := f.Values[flag]; ok {
			spec.Attrs[attr] = v
		}
	}
	if spec.Attrs["email"] == "" {
		return Invocation{}, desk.Usagef("`--email` is required: Cognito sends the invitation there.")
	}
	for _, kv := range f.Lists["attr"] {
		name, v, ok := strings.Cut(kv, "=")
		if !ok || !flows.AttrNamePattern.MatchString(name) {
			return Invocation{}, desk.Usagef("`--attr` takes NAME=VALUE, such as `--attr custom:team=blue`.")
		}
		if _, dup := spec.Attrs[name]; dup {
			return Invocation{}, desk.Usagef("Attribute `%s` is given twice.", name)
		}
		spec.Attrs[name] = v
	}
	if p := CreateProblem(spec); p != "" {
		return Invocation{}, desk.Usagef("%s", p)
	}
	return Invocation{Run: func(ctx context.Context) error { return b.createUser(ctx, req, pool, spec) }}, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// createUser creates the user in one audited step that checks everything it
// can before writing: the schema, the groups and that the username is free.
func (b *OneUser) createUser(ctx context.Context, req *transport.Request, pool config.Pool, spec NewUserSpec) error {
	var created *cognito.User
	var password string
	params := map[string]string{"pool_name": pool.Name, "invitation": "email",
		"attributes": strings.Join(slices.Sorted(maps.Keys(spec.Attrs)), ","), "groups": strings.Join(spec.Groups, ",")}
	if spec.Suppress {
		params["invitation"] = "suppressed"
	}
	if spec.Verified {
		params["verified"] = "email,phone_number"
	}
	ask := policy.Request{Action: actions.Create, Pool: pool.Name, AddGroups: spec.Groups, Verified: spec.Verified}
	step := pipeline.Step{
		AuditID: auditid.ForRequest(auditid.Create, req.Ref, spec.Username), Action: actions.Create, Pool: pool.Name, Phase: "execute",
		Target: audit.Target{Pool: pool.ID, Username: spec.Username}, Params: params, Policy: &ask,
		Op: createOp(pool, spec, &created, &password),
	}
	// --verified needs verify, each --group add-to-group, and a protected
	// group an approval creation cannot wait for: the policy says which.
	if d := b.Ask(ctx, req, ask); d.Verdict == policy.Deny {
		b.RefuseAsked(ctx, req, step, d)
		return nil
	}
	out, ok := b.Do(ctx, req, step)
	if !ok {
		return nil
	}
	if out.Err != nil && created == nil {
		return out.Err
	}
	card, err := b.cardOptions(ctx, req, pool, created, nil)
	if err != nil {
		return err
	}
	v := deskview.CreatedView{User: desk.ToUserView(*created), Pool: desk.ToPoolView(pool), Card: card, Password: password}
	if !spec.Suppress {
		v.InvitedBy = "email"
	}
	// The password is in this message only: ephemeral, to the requester.
	b.Reply(ctx, req, deskview.CreatedCard(v), desk.ReplyEphemeral)
	switch {
	case errors.Is(out.Err, cognito.ErrCodeDelivery):
		b.Reply(ctx, req, views.Notice("The user was created, but Cognito couldn't deliver the invitation. Check their email (`edit` changes it), then use `resend-invite`."), desk.ReplyEphemeral)
	case out.Err != nil:
		b.Reply(ctx, req, views.Notice("The user was created, but: "+b.UserMessage(out.Err, req, string(actions.Create))), desk.ReplyEphemeral)
	}
	return nil
}

// createOp is the Cognito work of create. A failure after the user exists
// (adding a group) still hands the user back, so the requester sees the card.
func createOp(pool config.Pool, spec NewUserSpec, created **cognito.User, password *string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		schema, err := s.Users.PoolSchema(ctx, pool.ID)
		if err != nil {
			return pipeline.Result{}, err
		}
		if err := CheckAttributes(schema, spec.Attrs, true); err != nil {
			return pipeline.Result{}, err
		}
		if len(spec.Groups) > 0 {
			groups, err := s.Users.DescribeGroups(ctx, pool.ID)
			if err != nil {
				return pipeline.Result{}, err
			}
			for _, g := range spec.Groups {
				if !slices.ContainsFunc(groups, func(x cognito.Group) bool { return x.Name == g }) {
					return pipeline.Result{}, desk.Refusedf("The pool has no group %q.", g)
				}
			}
		}
		switch _, err := s.Users.GetUser(ctx, pool.ID, spec.Username); {
		case err == nil:
			return pipeline.Result{}, desk.Refusedf("A user named %q already exists in this pool.", spec.Username)
		case !errors.Is(err, cognito.ErrUserNotFound):
			return pipeline.Result{}, err
		}
		in := cognito.NewUser{Username: spec.Username, Attributes: maps.Clone(spec.Attrs), Invitation: cognito.InviteEmail}
		if spec.Verified {
			for _, c := range []string{"email", "phone_number"} {
				if in.Attributes[c] != "" {
					in.Attributes[c+"_verified"] = "true"
				}
			}
		}
		if spec.Suppress {
			in.Invitation = cognito.InviteSuppress
			if in.TemporaryPassword, err = cognito.GeneratePassword(schema.Password); err != nil {
				return pipeline.Result{}, err
			}
		}
		u, res, err := s.Users.CreateUser(ctx, pool.ID, in)
		// Cognito can create the user and then fail to deliver the invitation:
		// the user exists, so they get their groups and the desk their card,
		// and the failure is reported with what to do (resend-invite).
		undelivered := u != nil && errors.Is(err, cognito.ErrCodeDelivery)
		if err != nil && !undelivered {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		*password = in.TemporaryPassword
		resolved := &audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}
		*created = u
		for _, g := range spec.Groups {
			if _, err := s.Users.AddToGroup(ctx, pool.ID, u.Username, g); err != nil {
				return pipeline.Result{Resolved: resolved, RequestID: res.RequestID}, fmt.Errorf("adding the new user to group %q: %w", g, err)
			}
		}
		if full, err := s.Users.GetUser(ctx, pool.ID, u.Username); err == nil {
			*created = full
		}
		if undelivered {
			return pipeline.Result{Summary: "Created " + u.Username + ", not invited", RequestID: res.RequestID, Resolved: resolved},
				fmt.Errorf("%w; correct their email, then use resend-invite", err)
		}
		return pipeline.Result{Summary: "Created " + u.Username, RequestID: res.RequestID, Resolved: resolved}, nil
	}
}

// readSchema reads the pool's schema (and, when groups is set, its groups)
// as an audited step of action.
func (b *OneUser) readSchema(ctx context.Context, req *transport.Request, action actions.Action, pool config.Pool, target audit.Target, withGroups bool) (cognito.PoolSchema, []cognito.Group, bool, error) {
	var schema cognito.PoolSchema
	var groups []cognito.Group
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditid.ForRequest(auditid.Schema, req.Ref, string(action), target.Username), Action: action, Pool: pool.Name, Target: target,
		Phase: "read-schema",
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			var err error
			if schema, err = s.Users.PoolSchema(ctx, pool.ID); err != nil {
				return pipeline.Result{}, err
			}
			if withGroups {
				if groups, err = s.Users.DescribeGroups(ctx, pool.ID); err != nil {
					return pipeline.Result{}, err
				}
			}
			return pipeline.Result{Summary: "read the pool's schema"}, nil
		},
	})
	if !ok {
		return schema, nil, false, nil
	}
	return schema, groups, true, out.Err
}
