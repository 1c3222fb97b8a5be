package awsdir

import (
	"errors"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Fake-endpoint tests of the SDK Directory for the desk operations moto lacks
// (AdminListUserAuthEvents, AdminListDevices, AdminForgetDevice answer HTTP 500
// there). The canned bodies follow Cognito's JSON wire format.

func TestFakeEndpointAuthEvents(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{"AdminListUserAuthEvents": {200, `{"AuthEvents":[
		{"EventId":"e1","EventType":"SignIn","CreationDate":1772355600,"EventResponse":"Fail",
		 "EventRisk":{"RiskDecision":"NoRisk"},"EventContextData":{"IpAddress":"192.0.2.1","City":"Lyon","Country":"France","DeviceName":"Firefox"}},
		{"EventId":"e2","EventType":"SignIn","CreationDate":1772359200,"EventResponse":"Pass",
		 "EventContextData":{"IpAddress":"192.0.2.2"}}]}`}})
	got, err := d.AuthEvents(testIntent(), fakePool, "eve", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Result != "Pass" || got[1].City != "Lyon" || got[1].Device != "Firefox" || got[1].Risk != "NoRisk" {
		t.Fatalf("AuthEvents = %+v; want two events, newest first, with their context", got)
	}
	if !got[0].Time.Equal(time.Unix(1772359200, 0)) {
		t.Errorf("time %v", got[0].Time)
	}
	if f.count("AdminListUserAuthEvents") != 1 {
		t.Errorf("%d calls", f.count("AdminListUserAuthEvents"))
	}
}

func TestFakeEndpointAuthEventsWithoutTheAddOn(t *testing.T) {
	d, _ := newFakeDirectory(t, map[string]fakeAnswer{"AdminListUserAuthEvents": apiError("UserPoolAddOnNotEnabledException",
		"User pool add-on is not enabled for user pool "+fakePool)})
	_, err := d.AuthEvents(testIntent(), fakePool, "eve", 10)
	if !errors.Is(err, cognito.ErrAddOnNotEnabled) {
		t.Fatalf("got %v, want ErrAddOnNotEnabled", err)
	}
}

func TestFakeEndpointDevicesListAndForget(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminListDevices": {200, `{"Devices":[
			{"DeviceKey":"us-east-1_a","DeviceLastAuthenticatedDate":1772355600,"DeviceAttributes":[{"Name":"device_name","Value":"Firefox"},{"Name":"last_ip_used","Value":"192.0.2.1"}]},
			{"DeviceKey":"us-east-1_b","DeviceLastAuthenticatedDate":1772359200,"DeviceAttributes":[{"Name":"device_name","Value":"iPhone"},{"Name":"dev:device_remembered_status","Value":"remembered"}]}]}`},
		"AdminForgetDevice": {200, `{}`},
	})
	ctx := testIntent()
	got, err := d.ListDevices(ctx, fakePool, "dan")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != "us-east-1_b" || got[0].Remembered != "remembered" || got[1].LastIP != "192.0.2.1" {
		t.Fatalf("ListDevices = %+v", got)
	}
	res, err := d.ForgetDevice(ctx, fakePool, "dan", "us-east-1_b")
	if err != nil || res.RequestID != "req-AdminForgetDevice-1" {
		t.Fatalf("ForgetDevice = %+v, %v", res, err)
	}
	if _, err := d.ForgetDevice(ctx, fakePool, "dan", ""); !errors.Is(err, cognito.ErrInvalidParameter) || f.count("AdminForgetDevice") != 1 {
		t.Errorf("an empty key must be refused before any call: %v", err)
	}
}

func TestFakeEndpointForgetUnknownDevice(t *testing.T) {
	d, _ := newFakeDirectory(t, map[string]fakeAnswer{"AdminForgetDevice": apiError("ResourceNotFoundException", "Device does not exist.")})
	if _, err := d.ForgetDevice(testIntent(), fakePool, "dan", "us-east-1_x"); !errors.Is(err, cognito.ErrDeviceNotFound) {
		t.Fatalf("got %v, want ErrDeviceNotFound", err)
	}
}

func TestTokenLifetimeIsCached(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{
		"ListUserPoolClients":    {200, `{"UserPoolClients":[{"ClientId":"c1"},{"ClientId":"c2"}]}`},
		"DescribeUserPoolClient": {200, `{"UserPoolClient":{"ClientId":"c","AccessTokenValidity":2,"IdTokenValidity":90,"TokenValidityUnits":{"AccessToken":"days","IdToken":"minutes"}}}`},
	})
	for range 3 {
		got, err := d.TokenLifetime(testIntent(), fakePool)
		if err != nil || got != 48*time.Hour {
			t.Fatalf("TokenLifetime = %v, %v; want 48h (2 days)", got, err)
		}
	}
	if f.count("ListUserPoolClients") != 1 || f.count("DescribeUserPoolClient") != 2 {
		t.Errorf("calls: list %d, describe %d; want one read, cached", f.count("ListUserPoolClients"), f.count("DescribeUserPoolClient"))
	}
}
