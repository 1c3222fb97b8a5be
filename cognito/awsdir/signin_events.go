package awsdir

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// AuthEvents returns the user's newest sign-in events, newest first, at most
// max (1..MaxAuthEvents; 0 means MaxAuthEvents). Pools without threat
// protection (the Plus tier's add-on) give ErrAddOnNotEnabled.
func (d *Directory) AuthEvents(ctx context.Context, poolID, username string, max int) ([]cognito.AuthEvent, error) {
	fail := func(err error) ([]cognito.AuthEvent, error) {
		return nil, fmt.Errorf("listing sign-in events of %q: %w", username, err)
	}
	if max < 0 || max > cognito.MaxAuthEvents {
		return fail(fmt.Errorf("%w: max %d not in 0..%d", cognito.ErrInvalidParameter, max, cognito.MaxAuthEvents))
	}
	if max == 0 {
		max = cognito.MaxAuthEvents
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
	events := make([]cognito.AuthEvent, 0, len(out.AuthEvents))
	for _, e := range out.AuthEvents {
		events = append(events, authEventOf(e))
	}
	cognito.SortAuthEvents(events)
	if len(events) > max {
		events = events[:max]
	}
	return events, nil
}

// authEventOf flattens an SDK event.
func authEventOf(e types.AuthEventType) cognito.AuthEvent {
	ev := cognito.AuthEvent{Time: aws.ToTime(e.CreationDate), Type: string(e.EventType), Result: string(e.EventResponse)}
	if r := e.EventRisk; r != nil {
		ev.Risk = string(r.RiskDecision)
	}
	if c := e.EventContextData; c != nil {
		ev.IP, ev.City, ev.Country, ev.Device = aws.ToString(c.IpAddress), aws.ToString(c.City), aws.ToString(c.Country), aws.ToString(c.DeviceName)
	}
	return ev
}
