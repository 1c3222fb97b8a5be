package desk

import (
	"slices"
	"sort"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// standardAttributes are shown in their own fields on the card, not as custom ones.
var standardAttributes = map[string]bool{
	"sub": true, "email": true, "email_verified": true, "phone_number": true, "phone_number_verified": true,
}

// ToUserView is a Cognito user as the views show it.
func ToUserView(u cognito.User) views.UserView {
	v := views.UserView{
		Username: u.Username, Sub: u.Sub, Email: u.Email, Phone: u.Phone,
		EmailVerified: u.EmailVerified, PhoneVerified: u.PhoneVerified, Enabled: u.Enabled,
		Status: u.Status, Created: u.Created, Modified: u.Modified,
		Groups: u.Groups, MFAMethods: u.MFAMethods, PreferredMFA: u.PreferredMFA,
	}
	for k, val := range u.Attributes {
		if standardAttributes[k] {
			continue
		}
		if v.Custom == nil {
			v.Custom = map[string]string{}
		}
		v.Custom[k] = val
	}
	return v
}

// ToPoolView is a configured pool as the views show it.
func ToPoolView(p config.Pool) views.PoolView {
	return views.PoolView{Name: p.Name, ID: p.ID, Region: p.Region, EstimatedUsers: -1}
}

// ToActorView is a Slack actor as the views show it.
func ToActorView(a audit.Actor) views.ActorView {
	return views.ActorView{UserID: a.UserID, TeamID: a.TeamID}
}

// SnapshotOf records the target's state when a request is made, so an approval can
// check that it still acts on the same user in the same state.
func SnapshotOf(u *cognito.User) *audit.TargetSnapshot {
	groups := append([]string(nil), u.Groups...)
	sort.Strings(groups)
	return &audit.TargetSnapshot{Sub: u.Sub, Status: u.Status, Enabled: u.Enabled, Email: u.Email, Groups: groups}
}

// UserFromSnapshot rebuilds the target summary shown on an approval card.
func UserFromSnapshot(username string, s *audit.TargetSnapshot) views.UserView {
	if s == nil {
		return views.UserView{Username: username}
	}
	return views.UserView{Username: username, Sub: s.Sub, Email: s.Email, Status: s.Status, Enabled: s.Enabled,
		Groups: slices.Clone(s.Groups)}
}

// TargetOfPool is the audit target of a step about a whole pool.
func TargetOfPool(p config.Pool) audit.Target { return audit.Target{Pool: p.ID} }

// ActionOf is a pending action's action.
func ActionOf(p audit.Pending) actions.Action { return p.Action }
