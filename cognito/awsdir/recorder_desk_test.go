package awsdir

import (
	"context"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// The recorder's desk operations: recorded, answered empty.

func (r *recorder) AdminConfirmSignUp(_ context.Context, in *cip.AdminConfirmSignUpInput, _ ...func(*cip.Options)) (*cip.AdminConfirmSignUpOutput, error) {
	return &cip.AdminConfirmSignUpOutput{}, r.rec("AdminConfirmSignUp", in)
}

func (r *recorder) AdminSetUserMFAPreference(_ context.Context, in *cip.AdminSetUserMFAPreferenceInput, _ ...func(*cip.Options)) (*cip.AdminSetUserMFAPreferenceOutput, error) {
	return &cip.AdminSetUserMFAPreferenceOutput{}, r.rec("AdminSetUserMFAPreference", in)
}

func (r *recorder) AdminListUserAuthEvents(_ context.Context, in *cip.AdminListUserAuthEventsInput, _ ...func(*cip.Options)) (*cip.AdminListUserAuthEventsOutput, error) {
	return &cip.AdminListUserAuthEventsOutput{}, r.rec("AdminListUserAuthEvents", in)
}

func (r *recorder) AdminListDevices(_ context.Context, in *cip.AdminListDevicesInput, _ ...func(*cip.Options)) (*cip.AdminListDevicesOutput, error) {
	return &cip.AdminListDevicesOutput{}, r.rec("AdminListDevices", in)
}

func (r *recorder) AdminForgetDevice(_ context.Context, in *cip.AdminForgetDeviceInput, _ ...func(*cip.Options)) (*cip.AdminForgetDeviceOutput, error) {
	return &cip.AdminForgetDeviceOutput{}, r.rec("AdminForgetDevice", in)
}

func (r *recorder) ListUserPoolClients(_ context.Context, in *cip.ListUserPoolClientsInput, _ ...func(*cip.Options)) (*cip.ListUserPoolClientsOutput, error) {
	return &cip.ListUserPoolClientsOutput{}, r.rec("ListUserPoolClients", in)
}

func (r *recorder) DescribeUserPoolClient(_ context.Context, in *cip.DescribeUserPoolClientInput, _ ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error) {
	return &cip.DescribeUserPoolClientOutput{}, r.rec("DescribeUserPoolClient", in)
}
