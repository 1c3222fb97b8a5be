package cognito

import (
	"errors"
	"fmt"
	"testing"
)

func TestResetBlockedError(t *testing.T) {
	err := fmt.Errorf("checking: %w", &ResetBlockedError{Reason: "the user is disabled", Hint: "enable the user first"})
	if !errors.Is(err, ErrResetNotPossible) {
		t.Fatal("ResetBlockedError does not match ErrResetNotPossible")
	}
	var rb *ResetBlockedError
	if !errors.As(err, &rb) || rb.Hint != "enable the user first" {
		t.Fatalf("errors.As: %v", rb)
	}
}
