package actions

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Keys of an edit's args. An edit is confirmed with its changes and carried in
// a pending action as args, so the operation runs exactly what was confirmed:
// EditAttrPrefix+name holds the new value ("" deletes the attribute) and
// EditVerified lists the contacts ("email", "phone_number") to mark verified.
const (
	EditAttrPrefix = "attr:"
	EditVerified   = "verified"
)

// EditAttributes is the operation of edit: AdminUpdateUserAttributes for the
// attributes given a value (with email_verified / phone_number_verified set
// when the change is marked verified), then AdminDeleteUserAttributes for the
// emptied ones. Only attributes in args are sent.
func EditAttributes(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error) {
	set := map[string]string{}
	var del []string
	for k, v := range args {
		name, ok := strings.CutPrefix(k, EditAttrPrefix)
		switch {
		case !ok:
		case v == "":
			del = append(del, name)
		default:
			set[name] = v
		}
	}
	for _, contact := range strings.Split(args[EditVerified], ",") {
		if contact != "" && set[contact] != "" {
			set[contact+"_verified"] = "true"
		}
	}
	if len(set) == 0 && len(del) == 0 {
		return cognito.Result{}, errors.New("edit: no changes to make")
	}
	var res cognito.Result
	if len(set) > 0 {
		_, r, err := d.UpdateAttributes(ctx, poolID, username, set)
		if err != nil {
			return r, err
		}
		res = r
	}
	if len(del) > 0 {
		sort.Strings(del)
		r, err := d.DeleteAttributes(ctx, poolID, username, del)
		if err != nil {
			return r, err
		}
		if res.RequestID == "" {
			res = r
		}
	}
	return res, nil
}
