package awsdir

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// maxDevicePages bounds ListDevices (60 devices a page).
const maxDevicePages = 5

// ListDevices returns the user's devices, most recently used first
// (AdminListDevices, paged by hand: the SDK has no paginator for it).
func (d *Directory) ListDevices(ctx context.Context, poolID, username string) ([]cognito.Device, error) {
	fail := func(err error) ([]cognito.Device, error) {
		return nil, fmt.Errorf("listing devices of %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	devices := []cognito.Device{}
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
	cognito.SortDevices(devices)
	return devices, nil
}

func deviceOf(dv types.DeviceType) cognito.Device {
	a := map[string]string{}
	for _, at := range dv.DeviceAttributes {
		a[aws.ToString(at.Name)] = aws.ToString(at.Value)
	}
	return cognito.Device{Key: aws.ToString(dv.DeviceKey), Name: a["device_name"], LastIP: a["last_ip_used"],
		Remembered: a["dev:device_remembered_status"],
		Created:    aws.ToTime(dv.DeviceCreateDate), LastAuthenticated: aws.ToTime(dv.DeviceLastAuthenticatedDate)}
}

// ForgetDevice makes Cognito forget one of the user's devices
// (AdminForgetDevice): the next sign-in from it asks for MFA again.
func (d *Directory) ForgetDevice(ctx context.Context, poolID, username, deviceKey string) (cognito.Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("forgetting device of %q: %w", username, err)
	}
	if deviceKey == "" {
		return cognito.Result{}, fmt.Errorf("forgetting device of %q: %w: empty device key", username, cognito.ErrInvalidParameter)
	}
	t := &outcomeTracker{}
	out, err := api.AdminForgetDevice(ctx, &cip.AdminForgetDeviceInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), DeviceKey: aws.String(deviceKey),
	}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("forgetting device of %q: %w", username, t.result(err, cognito.ErrDeviceNotFound))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("forgot device", poolID, res)
	return res, nil
}
