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

// deskAPI is the part of the SDK seam the desk operations (sign-up
// confirmation, MFA reset, sign-in history, devices, token lifetimes) call. It
// is embedded in cognitoAPI.
type deskAPI interface {
	AdminConfirmSignUp(ctx context.Context, in *cip.AdminConfirmSignUpInput, optFns ...func(*cip.Options)) (*cip.AdminConfirmSignUpOutput, error)
	AdminSetUserMFAPreference(ctx context.Context, in *cip.AdminSetUserMFAPreferenceInput, optFns ...func(*cip.Options)) (*cip.AdminSetUserMFAPreferenceOutput, error)
	AdminListUserAuthEvents(ctx context.Context, in *cip.AdminListUserAuthEventsInput, optFns ...func(*cip.Options)) (*cip.AdminListUserAuthEventsOutput, error)
	AdminListDevices(ctx context.Context, in *cip.AdminListDevicesInput, optFns ...func(*cip.Options)) (*cip.AdminListDevicesOutput, error)
	AdminForgetDevice(ctx context.Context, in *cip.AdminForgetDeviceInput, optFns ...func(*cip.Options)) (*cip.AdminForgetDeviceOutput, error)
	ListUserPoolClients(ctx context.Context, in *cip.ListUserPoolClientsInput, optFns ...func(*cip.Options)) (*cip.ListUserPoolClientsOutput, error)
	DescribeUserPoolClient(ctx context.Context, in *cip.DescribeUserPoolClientInput, optFns ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error)
}

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

// Device is a device the user chose to remember (or Cognito tracks).
type Device struct {
	// Key identifies the device for ForgetDevice.
	Key string
	// Name is the device_name attribute the app sent, often a user agent.
	Name string
	// LastIP is the last_ip_used attribute.
	LastIP string
	// Remembered is the device's remembered status ("remembered",
	// "not_remembered"), "" when Cognito did not say.
	Remembered                 string
	Created, LastAuthenticated time.Time
}

// MaxAuthEvents is the most AuthEvents returns: one Cognito page.
const MaxAuthEvents = 60

// maxDevicePages bounds ListDevices (60 devices a page).
const maxDevicePages = 5

// ConfirmSignUp confirms a user who signed up themselves and never entered the
// code (AdminConfirmSignUp). Users in any other status give ErrUnsupportedState,
// checked first, because moto (and a careless call) would "confirm" an invited
// FORCE_CHANGE_PASSWORD user too.
func (d *Directory) ConfirmSignUp(ctx context.Context, poolID, username string) (Result, error) {
	fail := func(err error) (Result, error) {
		return Result{}, fmt.Errorf("confirming sign-up of %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	if u.Status != string(types.UserStatusTypeUnconfirmed) {
		return fail(fmt.Errorf("%w: status is %s, not UNCONFIRMED", ErrUnsupportedState, u.Status))
	}
	t := &outcomeTracker{}
	out, err := api.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(poolID), Username: aws.String(u.Username)}, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("confirmed sign-up", poolID, res)
	return res, nil
}

// verifiedFlag maps a contact attribute to its verification flag.
var verifiedFlag = map[string]string{"email": "email_verified", "phone_number": "phone_number_verified"}

// MarkVerified marks the user's email or phone number ("email" or
// "phone_number") verified, so codes and resets can be delivered to it. A user
// without that attribute gives ErrInvalidParameter; one already verified needs
// no call and gets an empty Result.
func (d *Directory) MarkVerified(ctx context.Context, poolID, username, attribute string) (Result, error) {
	fail := func(err error) (Result, error) {
		return Result{}, fmt.Errorf("marking %s of %q verified: %w", attribute, username, err)
	}
	flag, ok := verifiedFlag[attribute]
	if !ok {
		return fail(fmt.Errorf("%w: %q is not email or phone_number", ErrInvalidParameter, attribute))
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	switch {
	case u.Attributes[attribute] == "":
		return fail(fmt.Errorf("%w: the user has no %s", ErrInvalidParameter, attribute))
	case u.Attributes[flag] == "true":
		return Result{}, nil
	}
	t := &outcomeTracker{}
	out, err := api.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(poolID), Username: aws.String(u.Username),
		UserAttributes: attributeList(map[string]string{flag: "true"}),
	}, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("marked verified", poolID, res)
	return res, nil
}

// ResetMFA turns off the user's SMS and TOTP MFA and clears the preferred
// method (AdminSetUserMFAPreference), for someone who lost their phone. In a
// pool where MFA is required they set it up again at the next sign-in. It
// reads the user first and sends settings only for the methods they have set
// up (a TOTP setting for a user without a token is refused); with neither, no
// call is made and the Result is empty.
//
// The SDK serializes Enabled=false by leaving the field out, which Cognito
// reads as false; moto 5.2.1 instead ignores such an empty settings object,
// so on moto the methods stay (the contract test says so).
func (d *Directory) ResetMFA(ctx context.Context, poolID, username string) (Result, error) {
	fail := func(err error) (Result, error) { return Result{}, fmt.Errorf("resetting MFA of %q: %w", username, err) }
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	in := &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID), Username: aws.String(u.Username)}
	if slices.Contains(u.MFAMethods, "SMS_MFA") || u.PreferredMFA == "SMS_MFA" {
		in.SMSMfaSettings = &types.SMSMfaSettingsType{Enabled: false, PreferredMfa: false}
	}
	if slices.Contains(u.MFAMethods, "SOFTWARE_TOKEN_MFA") || u.PreferredMFA == "SOFTWARE_TOKEN_MFA" {
		in.SoftwareTokenMfaSettings = &types.SoftwareTokenMfaSettingsType{Enabled: false, PreferredMfa: false}
	}
	if in.SMSMfaSettings == nil && in.SoftwareTokenMfaSettings == nil {
		return Result{}, nil
	}
	t := &outcomeTracker{}
	out, err := api.AdminSetUserMFAPreference(ctx, in, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("reset MFA", poolID, res)
	return res, nil
}

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
	sortEvents(events)
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

// sortEvents orders events newest first.
func sortEvents(events []AuthEvent) {
	slices.SortStableFunc(events, func(a, b AuthEvent) int { return b.Time.Compare(a.Time) })
}

// ListDevices returns the user's devices, most recently used first
// (AdminListDevices, paged by hand: the SDK has no paginator for it).
func (d *Directory) ListDevices(ctx context.Context, poolID, username string) ([]Device, error) {
	fail := func(err error) ([]Device, error) { return nil, fmt.Errorf("listing devices of %q: %w", username, err) }
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	devices := []Device{}
	var token *string
	for range maxDevicePages {
		out, err := api.AdminListDevices(ctx, &cip.AdminListDevicesInput{
			UserPoolId: aws.String(poolID), Username: aws.String(username), Limit: aws.Int32(60), PaginationToken: token,
		})
		if err != nil {
			return fail(translate(err, nil))
		}
		for _, dv := range out.Devices {
			devices = append(devices, deviceOf(dv))
		}
		if aws.ToString(out.PaginationToken) == "" || aws.ToString(out.PaginationToken) == aws.ToString(token) {
			break
		}
		token = out.PaginationToken
	}
	sortDevices(devices)
	return devices, nil
}

func deviceOf(dv types.DeviceType) Device {
	a := map[string]string{}
	for _, at := range dv.DeviceAttributes {
		a[aws.ToString(at.Name)] = aws.ToString(at.Value)
	}
	return Device{Key: aws.ToString(dv.DeviceKey), Name: a["device_name"], LastIP: a["last_ip_used"],
		Remembered: a["dev:device_remembered_status"],
		Created:    aws.ToTime(dv.DeviceCreateDate), LastAuthenticated: aws.ToTime(dv.DeviceLastAuthenticatedDate)}
}

// sortDevices orders devices by last authentication, newest first, then key.
func sortDevices(devices []Device) {
	slices.SortStableFunc(devices, func(a, b Device) int {
		if c := b.LastAuthenticated.Compare(a.LastAuthenticated); c != 0 {
			return c
		}
		return compareStrings(a.Key, b.Key)
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ForgetDevice makes Cognito forget one of the user's devices
// (AdminForgetDevice): the next sign-in from it asks for MFA again.
func (d *Directory) ForgetDevice(ctx context.Context, poolID, username, deviceKey string) (Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return Result{}, fmt.Errorf("forgetting device of %q: %w", username, err)
	}
	if deviceKey == "" {
		return Result{}, fmt.Errorf("forgetting device of %q: %w: empty device key", username, ErrInvalidParameter)
	}
	t := &outcomeTracker{}
	out, err := api.AdminForgetDevice(ctx, &cip.AdminForgetDeviceInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), DeviceKey: aws.String(deviceKey),
	}, t.option)
	if err != nil {
		return Result{}, fmt.Errorf("forgetting device of %q: %w", username, t.result(err, ErrDeviceNotFound))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("forgot device", poolID, res)
	return res, nil
}

// defaultTokenValidity is Cognito's default access and ID token lifetime.
const defaultTokenValidity = time.Hour

// TokenLifetime is how long access or ID tokens already issued by any of the
// pool's app clients may stay valid: the longest access/ID token validity
// among them (ListUserPoolClients, then DescribeUserPoolClient for each).
// Disabling or signing a user out cannot recall them from apps that verify
// JWTs locally. The answer is cached like DescribePool; 0 means the pool has
// no app clients.
func (d *Directory) TokenLifetime(ctx context.Context, poolID string) (time.Duration, error) {
	fail := func(err error) (time.Duration, error) {
		return 0, fmt.Errorf("reading token lifetimes of pool %s: %w", poolID, err)
	}
	if v, ok := d.lifetimes.get(poolID); ok {
		return v, nil
	}
	api, err := d.api(poolID)
	if err != nil {
		return fail(err)
	}
	var longest time.Duration
	p := cip.NewListUserPoolClientsPaginator(api, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(60)},
		func(o *cip.ListUserPoolClientsPaginatorOptions) { o.StopOnDuplicateToken = true })
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fail(translate(err, nil))
		}
		for _, c := range page.UserPoolClients {
			out, err := api.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: c.ClientId})
			if err != nil {
				return fail(translate(err, nil))
			}
			if out.UserPoolClient != nil {
				longest = max(longest, clientTokenLifetime(*out.UserPoolClient))
			}
		}
	}
	d.lifetimes.put(poolID, longest)
	return longest, nil
}

// clientTokenLifetime is the longer of an app client's access and ID token
// validity, in its TokenValidityUnits (hours when unset; 1 h when no validity
// is set).
func clientTokenLifetime(c types.UserPoolClientType) time.Duration {
	var accessUnit, idUnit types.TimeUnitsType
	if u := c.TokenValidityUnits; u != nil {
		accessUnit, idUnit = u.AccessToken, u.IdToken
	}
	return max(validity(c.AccessTokenValidity, accessUnit), validity(c.IdTokenValidity, idUnit))
}

func validity(v *int32, unit types.TimeUnitsType) time.Duration {
	if v == nil || *v <= 0 {
		return defaultTokenValidity
	}
	n := time.Duration(*v)
	switch unit {
	case types.TimeUnitsTypeSeconds:
		return n * time.Second
	case types.TimeUnitsTypeMinutes:
		return n * time.Minute
	case types.TimeUnitsTypeDays:
		return n * 24 * time.Hour
	}
	return n * time.Hour
}
