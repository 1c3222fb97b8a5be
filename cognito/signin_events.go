package cognito

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// AuthEvent is one sign-in (or sign-up, password change, …) attempt as
// Cognito's threat protection recorded it, for a desk asking "did they even
// try to sign in?".
type AuthEvent struct {
	Time time.Time
	// Type is Cognito's EventType: "SignIn", "SignUp", "ForgotPassword", …
	Type string
	// Result is the EventResponse: "Pass", "Fail" or "InProgress".
	Result string
	// Risk is the risk decision ("NoRisk", "AccountTakeover", "Block"), "" when none.
	Risk                      string
	IP, City, Country, Device string
}

// MaxAuthEvents is the most AuthEvents returns: one Cognito page.
const MaxAuthEvents = 60

// AuthEvents returns the user's newest sign-in events, newest first, at most
// max (1..MaxAuthEvents; 0 means MaxAuthEvents). Pools without threat
// protection (the Plus tier's add-on) give ErrAddOnNotEnabled.
func (d *Directory) AuthEvents(ctx context.Context, poolID, username string, max int) ([]AuthEvent, error) {
	fail := func(err error) ([]AuthEvent, error) {
		return nil, fmt.Errorf("listing sign-in events of %q: %w", username, err)
	}
	if max < 0 || max > MaxAuthEvents {
		return fail(fmt.Errorf("%w: max %d not in 0..%d", ErrInvalidParameter, max, MaxAuthEvents))
	}
	if max == 0 {
		max = MaxAuthEvents
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	out, err := api.AdminListUserAuthEvents(ctx, &cip.AdminListUserAuthEventsInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), MaxResults: aws.Int32(int32(max)),
	})
	if err != nil {
		return fail(translate(err, nil))
	}
	events := make([]AuthEvent, 0, len(out.AuthEvents))
	for _, e := range out.AuthEvents {
		events = append(events, authEventOf(e))
	}
	SortAuthEvents(events)
	if len(events) > max {
		events = events[:max]
	}
	return events, nil
}

// authEventOf flattens an SDK event.
func authEventOf(e types.AuthEventType) AuthEvent {
	ev := AuthEvent{Time: aws.ToTime(e.CreationDate), Type: string(e.EventType), Result: string(e.EventResponse)}
	if r := e.EventRisk; r != nil {
		ev.Risk = string(r.RiskDecision)
	}
	if c := e.EventContextData; c != nil {
		ev.IP, ev.City, ev.Country, ev.Device = aws.ToString(c.IpAddress), aws.ToString(c.City), aws.ToString(c.Country), aws.ToString(c.DeviceName)
	}
	return ev
}

// SortAuthEvents orders events newest first.
func SortAuthEvents(events []AuthEvent) {
	slices.SortStableFunc(events, func(a, b AuthEvent) int { return b.Time.Compare(a.Time) })
}
