package usercmd

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/slack-go/slack"

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
)

// cardButtonCount is how many actions a card shows as buttons; the rest go
// into its overflow menu.
const cardButtonCount = 3

// cardReads are the read commands a card offers in its menu.
var cardReads = []actions.Action{actions.History, actions.Devices, actions.Groups}

// cardForms are the card items that open a form about the user (edit): they
// sit in the menu, never among the buttons, whose confirm dialog would ask
// before there is anything to confirm.
var cardForms = []actions.Action{actions.Edit}

// ParseLookup parses `lookup`: one user, --pool, --public.
func ParseLookup(b *OneUser, req *transport.Request, args []string) (Invocation, error) {
	a, err := b.ParseUserArgs(args, nil, []string{"public"})
	if err != nil {
		return Invocation{}, err
	}
	return Invocation{Run: func(ctx context.Context) error {
		return b.Lookup(ctx, req, a.Pool, flows.Typed(a.Query), a.Bools["public"])
	}}, nil
}

// Lookup finds the user and reads the pool's (cached) description for the
// diagnosis line, in one audited step, then shows the card, or a short list to
// pick from when several users match. The card's session is written as soon
// as the user is known, side by side with the step's audit outcome.
func (b *OneUser) Lookup(ctx context.Context, req *transport.Request, pool config.Pool, ref flows.TargetRef, public bool) error {
	var info *cognito.PoolInfo
	var resent time.Time
	var card chan cardReady
	u, err := b.ResolveOneThen(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, ref.Key()), pool, ref, flows.PickNext{Action: actions.Lookup, Public: public},
		func(ctx context.Context, s pipeline.Services, u *cognito.User) error {
			pi, err := s.Users.DescribePool(ctx, pool.ID)
			if err == nil {
				info = &pi
			}
			if u.Status == "FORCE_CHANGE_PASSWORD" {
				resent = lastResend(ctx, s.Log, pool.ID, u.Username)
			}
			if !public {
				diag, _ := b.cardDiagnosis(u, info, resent)
				card = make(chan cardReady, 1)
				go func() {
					opts, err := b.cardOptions(ctx, req, pool, u, diag)
					card <- cardReady{opts, err}
				}()
			}
			return nil // the card shows without its diagnosis line
		})
	if card != nil && (u == nil || err != nil) {
		<-card // the step failed after all: the session goes unused
	}
	if u == nil || err != nil {
		return err
	}
	return b.showCard(ctx, req, pool, u, info, resent, public, card)
}

// cardReady is a card's buttons and menu, prepared while the lookup's
// outcome is written.
type cardReady struct {
	opts deskview.CardOptions
	err  error
}

// cardDiagnosis is the card's one sentence on why the user can or cannot
// sign in, when the pool could be read.
func (b *OneUser) cardDiagnosis(u *cognito.User, info *cognito.PoolInfo, resent time.Time) (*diagnosis, *deskview.DiagnosisView) {
	if info == nil {
		return nil, nil
	}
	d := diagnose(*u, *info, timeZero, resent, b.Now())
	return &d, &deskview.DiagnosisView{Sentence: d.Sentence, Blocked: d.Blocked}
}

// showCard renders the lookup card: the diagnosis line (when the pool could
// be read), then the actions the viewer may run on this pool here and that
// apply to the user — the fix first, up to three as buttons and the rest in
// an overflow menu. Every value is an opaque session id naming the exact user
// shown and the item, never authority. ready, when not nil, delivers the
// buttons prepared already.
//
// Destructive buttons carry Slack's confirm dialog. An overflow menu has only
// one confirm dialog for all its options, which could not name what each
// does, so the menu has none: a destructive action chosen from it is not run
// but answered with the bot's own confirm prompt (the same one the typed
// command gets), which names the action, the user and what will happen.
func (b *OneUser) showCard(ctx context.Context, req *transport.Request, pool config.Pool, u *cognito.User, info *cognito.PoolInfo, resent time.Time, public bool, ready <-chan cardReady) error {
	diag, dv := b.cardDiagnosis(u, info, resent)
	deletion := b.DeletionView(ctx, req, pool, u)
	if public {
		m := deskview.UserCard(desk.ToUserView(*u), desk.ToPoolView(pool), true, deskview.CardOptions{Diagnosis: dv, Deletion: deletion})
		if _, _, err := b.Slack.PostMessageContext(ctx, req.Channel, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)); err != nil {
			b.Reply(ctx, req, views.Notice("Couldn't post in this channel (invite the bot first?): "+err.Error()), desk.ReplyEphemeral)
		}
		return nil
	}
	var opts deskview.CardOptions
	var err error
	if ready != nil {
		r := <-ready
		opts, err = r.opts, r.err
	} else {
		opts, err = b.cardOptions(ctx, req, pool, u, diag)
	}
	if err != nil {
		return err
	}
	opts.Diagnosis, opts.Deletion = dv, deletion
	b.Reply(ctx, req, deskview.UserCard(desk.ToUserView(*u), desk.ToPoolView(pool), false, opts), b.ReplaceIfClicked(req))
	return nil
}

// cardOptions is what the viewer may do from a card about u: buttons and menu
// items, backed by one session naming the exact user.
func (b *OneUser) cardOptions(ctx context.Context, req *transport.Request, pool config.Pool, u *cognito.User, diag *diagnosis) (deskview.CardOptions, error) {
	allowed := b.Policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, pool.Name)
	items := cardItems(u, allowed, diag)
	var opts deskview.CardOptions
	if len(items) == 0 {
		return opts, nil
	}
	id := desk.NewSessionID()
	if err := desk.CardSessions.Save(ctx, b.Desk, req, id, desk.CardSession{Pool: pool.Name, Target: flows.IdentityOf(u), Items: items}); err != nil {
		return opts, err
	}
	for i, it := range items {
		value := id + "#" + strconv.Itoa(i)
		spec, _ := actions.Get(it.Action)
		if i < cardButtonCount && spec.Op != nil && !slices.Contains(cardForms, spec.Action) {
			opts.Buttons = append(opts.Buttons, cardButton(b.WithPromptDetail(spec, it.Args), it, value))
			continue
		}
		opts.Menu = append(opts.Menu, deskview.MenuItem{Label: itemLabel(spec, it), Value: value})
	}
	return opts, nil
}

// timeZero is an unknown last sign-in: the card does not read sign-in events.
var timeZero = cognito.AuthEvent{}.Time

// cardItems lists what the card offers, fix first, then the table's card
// actions, then the read commands; only what allowed grants and what applies
// to u.
func cardItems(u *cognito.User, allowed []actions.Action, diag *diagnosis) []desk.CardItem {
	var items []desk.CardItem
	add := func(it desk.CardItem) {
		if !slices.Contains(allowed, it.Action) || slices.ContainsFunc(items, func(x desk.CardItem) bool {
			return x.Action == it.Action && x.Args["attribute"] == it.Args["attribute"]
		}) {
			return
		}
		items = append(items, it)
	}
	if diag != nil && diag.Fix != "" {
		add(desk.CardItem{Action: diag.Fix, Args: diag.FixArgs})
	}
	for _, spec := range actions.CardActions() {
		if len(spec.Args) > 0 {
			if spec.Action == actions.Verify {
				for _, arg := range []string{"email", "phone"} {
					if args := map[string]string{"attribute": arg}; flows.NotApplicable(spec, u, args) == "" {
						add(desk.CardItem{Action: spec.Action, Args: args})
					}
				}
			}
			continue
		}
		if offered(spec.Action, u) && flows.NotApplicable(spec, u, nil) == "" {
			add(desk.CardItem{Action: spec.Action})
		}
	}
	for _, a := range cardForms {
		add(desk.CardItem{Action: a})
	}
	for _, a := range cardReads {
		add(desk.CardItem{Action: a})
	}
	return items
}

// cardButton is a card item as a button; destructive ones carry Slack's
// confirm dialog.
func cardButton(spec actions.Spec, it desk.CardItem, value string) views.CardButton {
	w := flows.Words(spec.Action)
	w.Button = itemLabel(spec, it)
	btn := views.CardButton{Action: string(spec.Action), Words: w, Style: spec.ButtonStyle, Value: value}
	if spec.Destructive {
		btn.Confirm = spec.Detail
	}
	return btn
}

// itemLabel words a card item: "Verify email", "Sign-in history".
func itemLabel(spec actions.Spec, it desk.CardItem) string {
	switch {
	case spec.Action == actions.Verify:
		return "Verify " + it.Args["attribute"]
	case spec.Action == actions.History:
		return "Sign-in history"
	case spec.Action == actions.Devices:
		return "Devices"
	case spec.Action == actions.Groups:
		return "Groups"
	case spec.Action == actions.Edit:
		return "Edit attributes…"
	case spec.Button != "":
		return spec.Button
	}
	return string(spec.Action)
}

// offered reports whether a card button makes sense for the user's state.
func offered(a actions.Action, u *cognito.User) bool {
	switch a {
	case actions.Disable:
		return u.Enabled
	case actions.Enable:
		return !u.Enabled
	}
	return true
}

// CardClick handles a card's button or menu option: it acts on exactly the
// user the card showed (same username, same sub). A button's action (from its
// action_id, "" for the menu) must be the item's. A destructive button's
// Slack confirm dialog was accepted, so it runs unless it needs approval or a
// reason; from the menu it is confirmed by the bot's prompt first.
func (b *OneUser) CardClick(ctx context.Context, req *transport.Request, action actions.Action, value string) {
	id, n, ok := desk.SplitValue(value)
	if !ok {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	}
	s, loaded := desk.CardSessions.Load(ctx, b.Desk, req, id)
	if !loaded {
		return
	}
	if n < 0 || n >= len(s.Items) || (action != "" && s.Items[n].Action != action) {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	}
	it := s.Items[n]
	spec, known := actions.Get(it.Action)
	pool, found := b.Cfg.PoolByName(s.Pool)
	switch {
	case !known:
		b.Reply(ctx, req, views.Notice("This button is not recognised."), desk.ReplyEphemeral)
		return
	case !found:
		b.Reply(ctx, req, views.Notice("This card's pool is no longer configured, so nothing was done."), desk.ReplyEphemeral)
		return
	case spec.Op == nil:
		if err := b.ReadCommand(ctx, req, it.Action, pool, flows.Exactly(s.Target)); err != nil {
			b.AnswerError(ctx, req, it.Action, err)
		}
		return
	}
	// One pending action per card item: a double click finds the first one.
	err := b.RequestAction(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: flows.Exactly(s.Target), Args: it.Args,
		Confirmed: action != "", PendingID: "p" + transport.HashKey(value, string(it.Action))})
	if err != nil {
		b.AnswerError(ctx, req, it.Action, err)
	}
}
