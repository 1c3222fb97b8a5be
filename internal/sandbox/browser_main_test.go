package sandbox

import (
	"os"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// TestMain runs more tests at once than there are cores (a browser test
// mostly waits for Chromium), and stops the Chromium they share once they are
// done.
func TestMain(m *testing.M) {
	testenv.RaiseParallel()
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}
