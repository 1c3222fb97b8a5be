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

// maxDevicePages bounds ListDevices (60 devices a page).
const maxDevicePages = 5

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
	SortDevices(devices)
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

// SortDevices orders devices by last authentication, newest first, then key.
func SortDevices(devices []Device) {
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
