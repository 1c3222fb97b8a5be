package sandbox

import (
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// MemoryBackend is the sandbox's default: the in-memory Cognito directory with
// the sandbox pool seeded with SeedPeople(now), and the in-memory audit log and
// state store. It needs nothing but the binary.
func MemoryBackend(now time.Time) (Backend, error) {
	dir := cognito.NewMemory()
	spec := cognito.PoolSpec{
		ID: defaultPoolID, Name: "sandbox", AliasAttributes: []string{"email"},
		Attributes: []cognito.AttributeSpec{{Name: "custom:tenant"}, {Name: "custom:tier"}},
	}
	for _, g := range Groups {
		spec.Groups = append(spec.Groups, cognito.GroupSpec{Name: g})
	}
	if err := dir.AddPool(spec); err != nil {
		return Backend{}, fmt.Errorf("creating the sandbox pool: %w", err)
	}
	people := SeedPeople(now)
	for _, p := range people {
		err := dir.Seed(defaultPoolID, cognito.SeedUser{
			Username: p.Username, Status: p.Status, Disabled: !p.Enabled,
			Email: p.Email, EmailVerified: p.EmailVerified, Phone: p.Phone, PhoneVerified: p.PhoneVerified,
			Attributes: p.Attributes, Groups: p.Groups, Created: p.Created, Modified: p.Modified,
		})
		if err != nil {
			return Backend{}, fmt.Errorf("seeding the sandbox pool: %w", err)
		}
	}
	return Backend{
		Users: dir, Audit: audit.NewMemoryLog(30 * 24 * time.Hour), State: audit.NewMemoryStore(),
		Description: fmt.Sprintf("an in-memory user pool with %d users in every state, and an in-memory audit log. Everything resets when you stop it.", len(people)),
		People:      people,
	}, nil
}
