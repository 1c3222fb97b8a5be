package usercmd

import (
	"context"
	"slices"
	"sort"
	"strconv"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/slack-go/slack"
)

// openCreateForm opens the create modal built from the pool's schema: email
// first, then phone and name, then required and custom attributes; groups as a
// multi-select.
func (b *OneUser) openCreateForm(ctx context.Context, req *transport.Request, pool config.Pool) error {
	if req.TriggerID == "" {
		return desk.Usagef("Give the new user's username and `--email`.")
	}
	schema, groups, ok, err := b.readSchema(ctx, req, actions.Create, pool, audit.Target{Pool: pool.ID}, true)
	if !ok || err != nil {
		return err
	}
	fields := []views.FormField{
		{Name: "email", Required: true, Hint: "alice@example.com"},
		{Name: "phone_number", Label: "Phone", Hint: "+15555550100"},
		{Name: "name", Label: "Name"},
	}
	for _, a := range schema.Attributes {
		if (a.Required || a.Custom) && !slices.ContainsFunc(fields, func(f views.FormField) bool { return f.Name == a.Name }) {
			fields = append(fields, views.FormField{Name: a.Name, Required: a.Required})
		}
	}
	for i := range fields {
		if a, ok := schema.Attribute(fields[i].Name); ok && a.Required {
			fields[i].Required = true
		}
	}
	s := CreateSession{FormOrigin: desk.OriginOf(req, pool)}
	for _, g := range groups {
		s.Groups = append(s.Groups, g.Name)
	}
	id := desk.NewSessionID()
	if err := createSessions.Save(ctx, b.Desk, req, id, s); err != nil {
		return err
	}
	if _, err := b.Slack.OpenViewContext(ctx, req.TriggerID, views.CreateModal(views.CreateFormView{
		Meta: id, Pool: pool.Name, Fields: fields, Groups: s.Groups})); err != nil {
		return desk.Usagef("The form could not be opened (%s). Give the username and `--email` instead.", views.Truncate(err.Error(), 100))
	}
	return nil
}

// createForm is a validated create submission.
type createForm struct {
	spec   NewUserSpec
	groups []int // indexes into the session's groups
}

// ReadCreateForm checks a create submission in the ack: the username, the
// contacts' formats and the lengths.
func ReadCreateForm(v *slack.View) (createForm, map[string]string) {
	username, _ := FormValue(v, views.BlockIDUsername)
	f := createForm{spec: NewUserSpec{Username: username, Attrs: map[string]string{}}}
	problems := map[string]string{}
	if p := CreateProblem(NewUserSpec{Username: username}); p != "" {
		problems[views.BlockIDUsername] = p
	}
	for name, val := range formAttributes(v) {
		if val == "" {
			continue
		}
		if p := flows.ContactProblem(name, val); p != "" {
			problems[views.AttrBlockPrefix+name] = p
		}
		f.spec.Attrs[name] = val
	}
	for _, o := range FormSelected(v, views.BlockIDGroups) {
		i, err := strconv.Atoi(o)
		if err != nil || i < 0 {
			problems[views.BlockIDGroups] = "Choose groups from the list."
			continue
		}
		f.groups = append(f.groups, i)
	}
	f.spec.Suppress = slices.Contains(FormSelected(v, views.BlockIDInvite), views.OptionSuppressInvite)
	if len(problems) > 0 {
		return f, problems
	}
	return f, nil
}

// HandleCreateForm creates the user the modal describes.
func (b *OneUser) HandleCreateForm(ctx context.Context, req *transport.Request, meta string, f createForm) {
	s, pool, ok := desk.LoadForm(ctx, b.Desk, req, createSessions, meta)
	if !ok {
		return
	}
	for _, i := range f.groups {
		if i >= len(s.Groups) {
			b.Reply(ctx, req, views.Notice("This form is no longer valid."), desk.ReplyEphemeral)
			return
		}
		f.spec.Groups = append(f.spec.Groups, s.Groups[i])
	}
	sort.Strings(f.spec.Groups)
	if err := b.createUser(ctx, req, pool, f.spec); err != nil {
		b.AnswerError(ctx, req, actions.Create, err)
	}
}
