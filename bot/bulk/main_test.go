package bulk

import (
	"os"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// TestMain runs more of the package's tests at once than there are cores:
// they mostly wait on rates, leases and heartbeats.
func TestMain(m *testing.M) {
	testenv.RaiseParallel()
	os.Exit(m.Run())
}
