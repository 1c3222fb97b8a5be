package usercmd

import (
	"context"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// editSessions are the sessions behind the edit modal.
var editSessions = desk.NewSessionKind[EditSession]("edit")

// maxEditChanges bounds one edit, so its confirm prompt shows every change.
const maxEditChanges = 25

// EditSession carries the edit modal's context: the exact user, the values
// the form was prefilled with (only those may change) and where to answer.
type EditSession struct {
	Target   desk.Identity     `json:"target"`
	Original map[string]string `json:"original"`
	desk.FormOrigin
}

// contacts are the attributes whose change may be marked verified.
var contacts = []string{"email", "phone_number"}

// ParseEdit parses `edit`: a user and NAME=VALUE changes (--verified, --reason).
func ParseEdit(b *OneUser, req *transport.Request, args []string) (Invocation, error) {
	f, err := desk.ParseFlags(args, []string{"pool", "reason"}, []string{"verified"})
	if err != nil {
		return Invocation{}, err
	}
	if len(f.Pos) == 0 || strings.TrimSpace(f.Pos[0]) == "" {
		return Invocation{}, desk.Usagef("Missing username, email, phone or sub.")
	}
	raw := map[string]string{}
	for _, kv := range f.Pos[1:] {
		name, v, ok := strings.Cut(kv, "=")
		if !ok || !flows.AttrNamePattern.MatchString(name) {
			return Invocation{}, desk.Usagef("After the user, give changes as NAME=VALUE (quote values with spaces; NAME= deletes).")
		}
		if _, dup := raw[name]; dup {
			return Invocation{}, desk.Usagef("Attribute `%s` is given twice.", name)
		}
		if p := flows.ContactProblem(name, v); p != "" {
			return Invocation{}, desk.Usagef("%s", p)
		}
		raw[name] = v
	}
	if f.Bools["verified"] && raw["email"] == "" && raw["phone_number"] == "" {
		return Invocation{}, desk.Usagef("`--verified` goes with a new `email=` or `phone_number=`.")
	}
	pool, err := b.Pool(f)
	if err != nil {
		return Invocation{}, err
	}
	var verified []string
	if f.Bools["verified"] {
		verified = contacts
	}
	spec, _ := actions.Get(actions.Edit)
	return Invocation{Run: func(ctx context.Context) error {
		return b.RequestAction(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: flows.Typed(f.Pos[0]), Args: editArgs(raw, verified),
			Reason: f.Values["reason"], PendingID: "p" + transport.HashKey(req.Ref, string(actions.Edit))})
	}}, nil
}

// editArgs encodes changes as the edit operation's args.
func editArgs(changes map[string]string, verified []string) map[string]string {
	args := map[string]string{}
	for name, v := range changes {
		args[actions.EditAttrPrefix+name] = v
	}
	if len(verified) > 0 {
		args[actions.EditVerified] = strings.Join(verified, ",")
	}
	return args
}

// reviewEdit runs between resolving the user and the confirm prompt of an
// edit: without changes it opens the form; otherwise it checks the names
// against the pool's schema and keeps only the values that differ from the
// user's, so the prompt and the operation carry exactly the real changes.
// done means the request has been answered.
func (b *OneUser) reviewEdit(ctx context.Context, req *transport.Request, ar flows.ActionRequest, u *cognito.User) (flows.ActionRequest, bool, error) {
	asked, verified := flows.EditChangesOf(ar.Args)
	if len(asked) == 0 {
		return ar, true, b.openEditForm(ctx, req, ar.Pool, u)
	}
	schema, _, ok, err := b.readSchema(ctx, req, actions.Edit, ar.Pool, audit.Target{Pool: ar.Pool.ID, Username: u.Username, Sub: u.Sub}, false)
	if !ok || err != nil {
		return ar, true, err
	}
	if err := CheckAttributes(schema, asked, false); err != nil {
		return ar, true, err
	}
	changed := map[string]string{}
	for name, v := range asked {
		if u.Attributes[name] != v {
			changed[name] = v
		}
	}
	switch {
	case len(changed) == 0:
		b.Reply(ctx, req, views.Notice("Nothing to change: "+u.Username+" already has those values."), desk.ReplyEphemeral)
		return ar, true, nil
	case len(changed) > maxEditChanges:
		return ar, true, desk.Refusedf("That is %d changes; make at most %d at a time.", len(changed), maxEditChanges)
	}
	var keep []string
	for _, c := range verified {
		if slices.Contains(contacts, c) && changed[c] != "" {
			keep = append(keep, c)
		}
	}
	ar.Args = editArgs(changed, keep)
	return ar, false, nil
}

// openEditForm opens the edit modal with the user's mutable attributes
// prefilled and the immutable ones read-only.
func (b *OneUser) openEditForm(ctx context.Context, req *transport.Request, pool config.Pool, u *cognito.User) error {
	if req.TriggerID == "" {
		return desk.Usagef("Give the changes as NAME=VALUE after the user.")
	}
	schema, _, ok, err := b.readSchema(ctx, req, actions.Edit, pool, audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}, false)
	if !ok || err != nil {
		return err
	}
	v := views.EditFormView{Username: u.Username, Pool: pool.Name, ReadOnly: map[string]string{}}
	s := EditSession{Target: flows.IdentityOf(u), Original: map[string]string{}, FormOrigin: desk.OriginOf(req, pool)}
	for _, a := range schema.Attributes {
		val, has := u.Attributes[a.Name]
		switch {
		case a.Name == "sub" || strings.HasSuffix(a.Name, "_verified"):
		case !a.Mutable:
			if has {
				v.ReadOnly[a.Name] = val
			}
		case has || a.Custom || a.Required || slices.Contains([]string{"email", "phone_number", "name"}, a.Name):
			v.Fields = append(v.Fields, views.FormField{Name: a.Name, Value: val, Required: a.Required})
			s.Original[a.Name] = val
			if slices.Contains(contacts, a.Name) {
				v.Contacts = append(v.Contacts, a.Name)
			}
		}
	}
	id := desk.NewSessionID()
	if err := editSessions.Save(ctx, b.Desk, req, id, s); err != nil {
		return err
	}
	v.Meta = id
	if _, err := b.Slack.OpenViewContext(ctx, req.TriggerID, views.EditModal(v)); err != nil {
		return desk.Usagef("The form could not be opened (%s). Give the changes as NAME=VALUE after the user instead.", views.Truncate(err.Error(), 100))
	}
	return nil
}

// editForm is a validated edit submission.
type editForm struct {
	values   map[string]string
	verified []string
}

// ReadEditForm checks an edit submission in the ack: contact formats and lengths.
func ReadEditForm(v *slack.View) (editForm, map[string]string) {
	f := editForm{values: formAttributes(v), verified: FormSelected(v, views.BlockIDVerified)}
	problems := map[string]string{}
	for name, val := range f.values {
		if p := flows.ContactProblem(name, val); p != "" {
			problems[views.AttrBlockPrefix+name] = p
		}
	}
	if len(problems) > 0 {
		return f, problems
	}
	return f, nil
}

// HandleEditForm turns the submitted form into the changes against the values
// it showed and asks for confirmation, on exactly the user the form was for.
func (b *OneUser) HandleEditForm(ctx context.Context, req *transport.Request, meta string, f editForm) {
	s, pool, ok := desk.LoadForm(ctx, b.Desk, req, editSessions, meta)
	if !ok {
		return
	}
	changed := map[string]string{}
	for name, val := range f.values {
		if old, shown := s.Original[name]; shown && old != val {
			changed[name] = val
		}
	}
	if len(changed) == 0 {
		b.Reply(ctx, req, views.Notice("Nothing changed, so nothing was done."), desk.ReplyEphemeral)
		return
	}
	spec, _ := actions.Get(actions.Edit)
	err := b.RequestAction(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: flows.Exactly(s.Target),
		Args: editArgs(changed, f.verified), PendingID: "p" + transport.HashKey(meta, string(actions.Edit))})
	if err != nil {
		b.AnswerError(ctx, req, actions.Edit, err)
	}
}
