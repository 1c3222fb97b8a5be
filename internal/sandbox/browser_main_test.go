package sandbox

import (
	"os"
	"testing"
)

// TestMain stops the Chromium the browser tests share once they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}
