package sandbox

import (
	"fmt"
	"slices"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

// MemoryBackend is the sandbox's default: the in-memory Cognito directory with
// the sandbox pool seeded with SeedPeople(now), and the in-memory audit log and
// state store. It needs nothing but the binary.
func MemoryBackend(now time.Time) (Backend, error) {
	dir := memdir.New()
	spec := memdir.PoolSpec{
		ID: defaultPoolID, Name: "sandbox", AliasAttributes: []string{"email"}, ThreatProtection: "AUDIT",
		AppClients: []memdir.AppClientSpec{{Name: "web", AccessTokenValidity: time.Hour, IDTokenValidity: time.Hour}},
		Attributes: []memdir.AttributeSpec{{Name: "custom:tenant"}, {Name: "custom:tier"}},
	}
	for _, g := range Groups {
		spec.Groups = append(spec.Groups, memdir.GroupSpec{Name: g})
	}
	if err := dir.AddPool(spec); err != nil {
		return Backend{}, fmt.Errorf("creating the sandbox pool: %w", err)
	}
	people := SeedPeople(now)
	for _, p := range people {
		err := dir.Seed(defaultPoolID, memdir.SeedUser{
			Username: p.Username, Status: p.Status, Disabled: !p.Enabled,
			Email: p.Email, EmailVerified: p.EmailVerified, Phone: p.Phone, PhoneVerified: p.PhoneVerified,
			Attributes: p.Attributes, Groups: p.Groups, Created: p.Created, Modified: p.Modified,
			AuthEvents: signInsOf(p, now), Devices: devicesOf(p, now),
		})
		if err != nil {
			return Backend{}, fmt.Errorf("seeding the sandbox pool: %w", err)
		}
	}
	return Backend{
		Users: dir, Audit: audit.NewMemoryLog(30 * 24 * time.Hour), State: state.NewMemoryStore(),
		Description: fmt.Sprintf("an in-memory user pool with %d users in every state, and an in-memory audit log. Everything resets when you stop it.", len(people)),
		People:      people,
	}, nil
}

// signInsOf gives the people who can sign in a short, plausible sign-in history, so
// `history` and `why` have something to show.
func signInsOf(p Person, now time.Time) []cognito.AuthEvent {
	if p.Status != "CONFIRMED" || !p.Enabled {
		return nil
	}
	return []cognito.AuthEvent{
		{Time: now.Add(-26 * time.Hour), Type: "SignIn", Result: "Pass", Risk: "NoRisk", IP: "203.0.113.10", City: "Lisbon", Country: "Portugal", Device: "Firefox 131, Linux"},
		{Time: now.Add(-3 * time.Hour), Type: "SignIn", Result: "Fail", Risk: "NoRisk", IP: "198.51.100.7", City: "Porto", Country: "Portugal", Device: "Safari 18, iOS"},
		{Time: now.Add(-2 * time.Hour), Type: "SignIn", Result: "Pass", Risk: "NoRisk", IP: "198.51.100.7", City: "Porto", Country: "Portugal", Device: "Safari 18, iOS"},
	}
}

// devicesOf gives the people in the support group a remembered phone, so `devices`
// shows a Forget button.
func devicesOf(p Person, now time.Time) []cognito.Device {
	if !slices.Contains(p.Groups, "support") {
		return nil
	}
	return []cognito.Device{{Key: "eu-west-1_" + p.Username + "-phone", Name: "iPhone (Safari 18)", LastIP: "198.51.100.7",
		Remembered: "remembered", Created: now.Add(-30 * 24 * time.Hour), LastAuthenticated: now.Add(-2 * time.Hour)}}
}
