package awsdir_test

import (
	"context"
	"errors"
	"net"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// singleAttemptsRideOutCutConnections is the moto-backed directory with its two
// single-attempt calls (ResetPassword, SetPassword: no SDK retries, on purpose)
// repeated when the emulator's answer arrived but its connection was closed
// under the body read ("deserialization failed … use of closed network
// connection", the client-side race of aws-sdk-go-v2 issue 2737; the SDK
// retries it for every other call). What the contract checks is Cognito's
// answer, not that race, and moto's answer to a repeat is the same.
type singleAttemptsRideOutCutConnections struct{ directoryUnderTest }

func (d singleAttemptsRideOutCutConnections) ResetPassword(ctx context.Context, poolID, username string) (cognito.Result, error) {
	return repeatOnCutConnection(func() (cognito.Result, error) {
		return d.directoryUnderTest.ResetPassword(ctx, poolID, username)
	})
}

func (d singleAttemptsRideOutCutConnections) SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (cognito.Result, error) {
	return repeatOnCutConnection(func() (cognito.Result, error) {
		return d.directoryUnderTest.SetPassword(ctx, poolID, username, password, permanent)
	})
}

func repeatOnCutConnection(call func() (cognito.Result, error)) (cognito.Result, error) {
	for attempt := 1; ; attempt++ {
		res, err := call()
		if attempt == 3 || !errors.Is(err, net.ErrClosed) {
			return res, err
		}
	}
}
