package cognito

import (
	"context"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// The desk operations' SDK calls, each waiting for its quota category's token
// (cognito-and-dynamodb.md §5) like the calls in limited.go.

func (l limitedAPI) AdminConfirmSignUp(ctx context.Context, in *cip.AdminConfirmSignUpInput, o ...func(*cip.Options)) (*cip.AdminConfirmSignUpOutput, error) {
	if err := l.wait(ctx, catUserCreation); err != nil {
		return nil, err
	}
	return l.next.AdminConfirmSignUp(ctx, in, o...)
}

func (l limitedAPI) AdminSetUserMFAPreference(ctx context.Context, in *cip.AdminSetUserMFAPreferenceInput, o ...func(*cip.Options)) (*cip.AdminSetUserMFAPreferenceOutput, error) {
	if err := l.wait(ctx, catUserResourceUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminSetUserMFAPreference(ctx, in, o...)
}

func (l limitedAPI) AdminListUserAuthEvents(ctx context.Context, in *cip.AdminListUserAuthEventsInput, o ...func(*cip.Options)) (*cip.AdminListUserAuthEventsOutput, error) {
	if err := l.wait(ctx, catUserResourceRead); err != nil {
		return nil, err
	}
	return l.next.AdminListUserAuthEvents(ctx, in, o...)
}

func (l limitedAPI) AdminListDevices(ctx context.Context, in *cip.AdminListDevicesInput, o ...func(*cip.Options)) (*cip.AdminListDevicesOutput, error) {
	if err := l.wait(ctx, catUserResourceRead); err != nil {
		return nil, err
	}
	return l.next.AdminListDevices(ctx, in, o...)
}

func (l limitedAPI) AdminForgetDevice(ctx context.Context, in *cip.AdminForgetDeviceInput, o ...func(*cip.Options)) (*cip.AdminForgetDeviceOutput, error) {
	if err := l.wait(ctx, catUserResourceUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminForgetDevice(ctx, in, o...)
}

func (l limitedAPI) ListUserPoolClients(ctx context.Context, in *cip.ListUserPoolClientsInput, o ...func(*cip.Options)) (*cip.ListUserPoolClientsOutput, error) {
	if err := l.wait(ctx, catUserPoolResourceRead); err != nil {
		return nil, err
	}
	return l.next.ListUserPoolClients(ctx, in, o...)
}

func (l limitedAPI) DescribeUserPoolClient(ctx context.Context, in *cip.DescribeUserPoolClientInput, o ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error) {
	if err := l.wait(ctx, catUserPoolResourceRead); err != nil {
		return nil, err
	}
	return l.next.DescribeUserPoolClient(ctx, in, o...)
}
