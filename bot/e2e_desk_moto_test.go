package bot_test

import (
	"context"
	"regexp"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// The desk commands not covered by TestDeskCommandsOnTheWire and
// TestWireVerifyAndSuspendOnMoto, through slack-go's socketmode client against
// moto and DynamoDB Local, read back from moto and the audit table.

// create --suppress-invite, groups, groups <user> with its Remove button, and
// remove-from-group by command.
func TestWireCreateSuppressedAndGroupsOnMoto(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	card := h.Reply(h.Command(bottest.Admin, "create wyn --email wyn@example.com --suppress-invite --group support --group admins"), 1)
	m := regexp.MustCompile("Temporary password\\* \\(only you see this, and only now\\): `([^`]+)`").FindStringSubmatch(card.RenderedText())
	if m == nil || !card.Ephemeral {
		t.Fatalf("want the temporary password, ephemeral:\n%s", bottest.Text(card))
	}
	u, ok := h.User("wyn")
	if !ok || u.Status != "FORCE_CHANGE_PASSWORD" || !slices.Equal(u.Groups, []string{"admins", "support"}) {
		t.Fatalf("wyn on moto = %+v", u)
	}
	if list := h.Reply(h.Command(bottest.Admin, "groups"), 1); !bottest.Contains(list, "admins") || !bottest.Contains(list, "support") {
		t.Fatalf("groups:\n%s", bottest.Text(list))
	}
	mine := h.Reply(h.Command(bottest.Admin, "groups wyn"), 1)
	h.Reply(h.ClickAsShown(mine, "groups:remove", bottest.Admin), 1) // the first shown: admins
	if u, _ := h.User("wyn"); !slices.Equal(u.Groups, []string{"support"}) {
		t.Fatalf("after Remove, moto has wyn in %v", u.Groups)
	}
	prompt := h.Reply(h.Command(bottest.Admin, "remove-from-group wyn support"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if u, _ := h.User("wyn"); len(u.Groups) != 0 {
		t.Fatalf("after remove-from-group, moto has wyn in %v", u.Groups)
	}
	for action, n := range map[string]int{"create": 1, "remove-from-group": 2} {
		if e := bottest.Executions(h.AuditFor("wyn", 4), action); len(e) != n || e[0].Outcome != audit.OutcomeOK || e[0].CognitoRequestID == "" {
			t.Errorf("%s in DynamoDB Local: %+v", action, e)
		}
	}
}

// resend-invite, why with its fixing button (confirm-signup for a user who
// signed up through an app client), and reset-mfa.
func TestWireInvitationsSignUpAndMFAOnMoto(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	h.Reply(h.Command(bottest.Admin, "create ina --email ina@example.com"), 1)
	if res := h.Reply(h.Command(bottest.Admin, "resend-invite ina"), 1); !bottest.Contains(res, "Resent the invitation") {
		t.Fatalf("resend-invite:\n%s", bottest.Text(res))
	}

	// A self-service sign-up, through the pool's app client, leaves the user UNCONFIRMED.
	idp := cip.NewFromConfig(testenv.AWSConfig(t))
	ctx := context.Background()
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(h.Pool.ID), ClientName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idp.SignUp(ctx, &cip.SignUpInput{ClientId: client.UserPoolClient.ClientId, Username: aws.String("una"),
		Password: aws.String("Correct-Horse-9-Battery"), UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("una@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	why := h.Reply(h.Command(bottest.Admin, "why una"), 1)
	if !bottest.Contains(why, "never entered the confirmation code") {
		t.Fatalf("why:\n%s", bottest.Text(why))
	}
	h.Reply(h.Click(why, "card:confirm-signup", bottest.Admin), 1)
	if u, _ := h.User("una"); u.Status != "CONFIRMED" {
		t.Fatalf("una on moto is %s after Confirm sign-up", u.Status)
	}

	h.CreateUser("max", "max@example.com", map[string]string{"phone_number": "+15555550199", "phone_number_verified": "true"})
	if _, err := idp.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(h.Pool.ID), Username: aws.String("max"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	prompt := h.Reply(h.Command(bottest.Admin, "reset-mfa max"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	for who, action := range map[string]string{"ina": "resend-invite", "una": "confirm-signup", "max": "reset-mfa"} {
		if e := bottest.Executions(h.AuditFor(who, 2), action); len(e) != 1 || e[0].Outcome != audit.OutcomeOK || e[0].CognitoRequestID == "" {
			t.Errorf("%s of %s in DynamoDB Local: %+v", action, who, e)
		}
	}
}

// history, devices and Forget against moto for the user, with a fake endpoint
// for the three operations moto does not implement (AdminListUserAuthEvents,
// AdminListDevices, AdminForgetDevice), and for those only.
func TestWireHistoryDevicesAndForgetWithAFakeEndpointForWhatMotoLacks(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	devices := []map[string]any{
		{"DeviceKey": "us-east-1_new", "DeviceLastAuthenticatedDate": 1772359200, "DeviceAttributes": []map[string]string{{"Name": "device_name", "Value": "iPhone"}}},
		{"DeviceKey": "us-east-1_old", "DeviceLastAuthenticatedDate": 1772355600, "DeviceAttributes": []map[string]string{{"Name": "device_name", "Value": "Firefox"}}},
	}
	h := bottest.New(t, &bottest.Options{FakeCognito: map[string]bottest.FakeOperation{
		"AdminListUserAuthEvents": func(map[string]any) (any, string) {
			return map[string]any{"AuthEvents": []map[string]any{{"EventId": "e1", "EventType": "SignIn", "CreationDate": 1772359200,
				"EventResponse": "Pass", "EventContextData": map[string]string{"IpAddress": "192.0.2.7", "City": "Lyon", "DeviceName": "iPhone"}}}}, ""
		},
		"AdminListDevices": func(map[string]any) (any, string) {
			mu.Lock()
			defer mu.Unlock()
			return map[string]any{"Devices": slices.Clone(devices)}, ""
		},
		"AdminForgetDevice": func(req map[string]any) (any, string) {
			mu.Lock()
			defer mu.Unlock()
			i := slices.IndexFunc(devices, func(d map[string]any) bool { return d["DeviceKey"] == req["DeviceKey"] })
			if i < 0 {
				return nil, "ResourceNotFoundException"
			}
			devices = slices.Delete(devices, i, i+1)
			return map[string]any{}, ""
		},
	}})
	h.CreateUser("dee", "dee@example.com")
	if hist := h.Reply(h.Command(bottest.Admin, "history dee"), 1); !bottest.Contains(hist, "192.0.2.7") || !bottest.Contains(hist, "Lyon") {
		t.Fatalf("history:\n%s", bottest.Text(hist))
	}
	list := h.Reply(h.Command(bottest.Admin, "devices dee"), 1)
	if !bottest.Contains(list, "iPhone") || !bottest.Contains(list, "Firefox") {
		t.Fatalf("devices:\n%s", bottest.Text(list))
	}
	h.Reply(h.Click(list, "device:forget", bottest.Admin), 1) // the first shown: the iPhone, used last
	mu.Lock()
	left := len(devices)
	mu.Unlock()
	if left != 1 {
		t.Fatalf("%d devices left after Forget; want 1", left)
	}
	entries := h.AuditFor("dee", 3)
	for _, action := range []string{"history", "devices", "forget-device"} {
		ok := slices.ContainsFunc(entries, func(e audit.Entry) bool { return e.Action == action && e.Outcome == audit.OutcomeOK })
		if !ok {
			t.Errorf("no ok %s entry in DynamoDB Local: %+v", action, entries)
		}
	}
}

// The create and edit forms, built from the pool's schema as moto describes
// it, submitted and carried out on moto.
func TestWireCreateAndEditFormsOnMoto(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	d := h.Command(bottest.Admin, "create")
	view := waitView(t, h, 1)
	submit(t, h, view, bottest.Admin, map[string]map[string]string{
		"username": {"value": "fen"}, "attr:email": {"value": "fen@example.com"}, "attr:custom:tenant": {"value": "initech"}})
	h.Reply(d, 1)
	if u, ok := h.User("fen"); !ok || u.Attributes["custom:tenant"] != "initech" || u.Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("fen on moto = %+v", u)
	}
	d = h.Command(bottest.Admin, "edit fen")
	view = waitView(t, h, 2)
	submit(t, h, view, bottest.Admin, map[string]map[string]string{"attr:custom:tenant": {"value": "globex"}})
	prompt := h.Reply(d, 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if u, _ := h.User("fen"); u.Attributes["custom:tenant"] != "globex" {
		t.Fatalf("fen's tenant on moto = %q after the edit form", u.Attributes["custom:tenant"])
	}
}
