package flows

import (
	"maps"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// pendingParams is the action's args as a pending action keeps them.
func pendingParams(ar ActionRequest) map[string]string {
	params := map[string]string{}
	ArgParams(params, ar.Args)
	return params
}

// oldValues is what an edit replaces, so an approver sees old → new; nil for
// any other action.
func oldValues(ar ActionRequest, u *cognito.User) map[string]string {
	changes, _ := EditChangesOf(ar.Args)
	if len(changes) == 0 {
		return nil
	}
	old := map[string]string{}
	for name := range changes {
		old[name] = u.Attributes[name]
	}
	return old
}

// ActionDetails splits an action's args into what prompts and approval cards
// show: plain arguments (group, device, attribute) and, for an edit, every
// change old → new.
func ActionDetails(args, old map[string]string) (map[string]string, []views.ChangeView) {
	plain := map[string]string{}
	for k, v := range args {
		if !strings.HasPrefix(k, actions.EditAttrPrefix) && k != actions.EditVerified {
			plain[k] = v
		}
	}
	changes, verified := EditChangesOf(args)
	var out []views.ChangeView
	for _, name := range slices.Sorted(maps.Keys(changes)) {
		out = append(out, views.ChangeView{Name: name, Old: old[name], New: changes[name], Verified: slices.Contains(verified, name),
			Secret: audit.IsSecretKey(name)})
	}
	if len(plain) == 0 {
		plain = nil
	}
	return plain, out
}

// confirmArgs is the plain arguments a confirm prompt shows.
func confirmArgs(args map[string]string) map[string]string {
	plain, _ := ActionDetails(args, nil)
	return plain
}

// editChanges renders an edit's args against the user as old → new, for the
// confirm prompt; nil for any other action.
func editChanges(args map[string]string, u *cognito.User) []views.ChangeView {
	changes, verified := EditChangesOf(args)
	var out []views.ChangeView
	for _, name := range slices.Sorted(maps.Keys(changes)) {
		out = append(out, views.ChangeView{Name: name, Old: u.Attributes[name], New: changes[name],
			Verified: slices.Contains(verified, name)})
	}
	return out
}

// EditChangesOf decodes an edit's args.
func EditChangesOf(args map[string]string) (map[string]string, []string) {
	changes := map[string]string{}
	for k, v := range args {
		if name, ok := strings.CutPrefix(k, actions.EditAttrPrefix); ok {
			changes[name] = v
		}
	}
	var verified []string
	if v := args[actions.EditVerified]; v != "" {
		verified = strings.Split(v, ",")
	}
	return changes, verified
}
