package flows

import (
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// NotApplicable asks the action table whether spec makes sense for u as they
// are now; "" means it does.
func NotApplicable(spec actions.Spec, u *cognito.User, args map[string]string) string {
	if spec.Applies == nil {
		return ""
	}
	return spec.Applies(*u, args)
}

// tokensNote tells the desk how long tokens already issued may still work
// after a suspend; "" when the operation ended no sessions.
func tokensNote(d time.Duration) string {
	switch {
	case d < 0:
		return "Access and ID tokens already issued stay valid until they expire; the pool's app clients could not be read to say how long (by default 1 hour)."
	case d == 0:
		return ""
	}
	return "Access and ID tokens already issued may stay valid for up to " + HumanDuration(d) +
		" (the longest token validity among the pool's app clients) in apps that check them locally."
}

// HumanDuration writes 90m as "1 h 30 min" and 48h as "2 days".
func HumanDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		n := int(d / (24 * time.Hour))
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
	case d >= time.Minute:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return fmt.Sprintf("%d s", int(d/time.Second))
}
