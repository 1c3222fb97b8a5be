package table

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Sentinel errors of the storage itself; package audit exports the same values.
var (
	// ErrInvalid is returned, without calling DynamoDB, for arguments that could never be
	// stored: an empty id, an unknown decision or outcome, a malformed cursor.
	ErrInvalid = errors.New("invalid argument")

	// ErrUnavailable wraps every DynamoDB failure that is not a condition failure: the
	// network is down, requests were throttled after retries, the table is missing, the
	// context was cancelled. The outcome of the write is unknown, so callers fail closed.
	ErrUnavailable = errors.New("audit store unavailable")
)

// ConditionFailed returns the ConditionalCheckFailedException in err, or nil.
func ConditionFailed(err error) *types.ConditionalCheckFailedException {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return ccf
	}
	return nil
}

// Unavailable marks a DynamoDB failure as ErrUnavailable while keeping the cause.
func Unavailable(err error) error {
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}
