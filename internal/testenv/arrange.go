package testenv

import (
	"errors"
	"time"

	"github.com/aws/smithy-go"
)

// Arrange runs one step of a test's arrangement against an emulator (create a
// user, set a password) up to three times while it fails below the API. Under a
// loaded machine moto now and then drops a connection after it has carried the
// request out, so a step can fail although its work was done; retried says the
// step is being run again, so a create can take "already exists" for success in
// a pool the test made itself. The step must make a single SDK attempt, or the
// SDK's own retry hides which attempt found the work done. An answer from the
// API itself is returned at once.
func Arrange(step func(retried bool) error) error {
	var err error
	for attempt := range 3 {
		if err = step(attempt > 0); err == nil {
			return nil
		}
		var api smithy.APIError
		if errors.As(err, &api) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// IsAPIError reports whether err carries the API error code (such as
// "UsernameExistsException").
func IsAPIError(err error, code string) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == code
}
