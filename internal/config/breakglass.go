package config

import "slices"

// BreakGlassDecision is whether a request may skip its approval by breaking
// glass, and if not, the sentence saying why.
type BreakGlassDecision struct {
	Allowed bool
	Reason  string
}

// DecideBreakGlass is the break-glass rule, a pure function of the
// configuration: a request that needs approval may run at once only when one
// of the roles that grant the requester the action (grantingRoles, as the
// policy found them) has break_glass: true, and a reason is given. It decides
// nothing else: the action itself is authorized as always.
func (c *Config) DecideBreakGlass(grantingRoles []string, reason string) BreakGlassDecision {
	if reason == "" {
		return BreakGlassDecision{Reason: "break-glass needs a reason: add --reason \"…\" saying why this cannot wait for an approver"}
	}
	for _, r := range c.Roles {
		if r.BreakGlass && slices.Contains(grantingRoles, r.Name) {
			return BreakGlassDecision{Allowed: true, Reason: "break-glass allowed by role " + r.Name}
		}
	}
	return BreakGlassDecision{Reason: "none of your roles that allow this may break glass (break_glass: true)"}
}
