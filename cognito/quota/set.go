package quota

import (
	"context"
	"fmt"
	"time"
)

// Set is one rate limiter per quota category, for one Region: Cognito
// enforces its quotas per account per Region, shared by every pool there.
type Set [numCategories]*limiter

// NewSet builds the limiters of one Region at q's rates (q.WithDefaults is
// the caller's to apply), shared through q.Budget when set, on clock c (nil:
// the wall clock); onWait (nil for none) is told about every wait with the
// category's name.
func NewSet(q Quotas, c *Clock, onWait func(category string, waited time.Duration)) *Set {
	var s Set
	for cat := range numCategories {
		s[cat] = newLimiter(q.rate(cat), c).sharedBy(q.Budget)
		if onWait != nil {
			name := cat.String()
			s[cat].onWait = func(waited time.Duration) { onWait(name, waited) }
		}
	}
	return &s
}

// Wait takes the token of operation op (a Cognito API operation name, e.g.
// "AdminDisableUser") from its category's limiter, waiting for it when the
// category is at its rate. An operation with no category is refused, never
// let through unlimited; so is a wait cut off by ctx.
func (s *Set) Wait(ctx context.Context, op string) error {
	cat, ok := operationCategory[op]
	if !ok {
		return fmt.Errorf("cognito: operation %s has no quota category; add it to operationCategory in cognito/quota/operations.go", op)
	}
	if err := s[cat].Wait(ctx); err != nil {
		return fmt.Errorf("waiting for the %s rate limit: %w", cat, err)
	}
	return nil
}

// HasCategory reports whether operation op has a quota category, so Wait
// would not refuse it.
func HasCategory(op string) bool {
	_, ok := operationCategory[op]
	return ok
}
