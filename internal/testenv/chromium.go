package testenv

import (
	"os"
	"testing"
)

// ChromiumVar names the Chromium the sandbox's browser tests drive. The
// browser is part of the local world, like the emulators:
// scripts/with-emulators.sh (and so `make test`) sets it to the chromium that
// scripts/ensure-chromium.sh installs. A plain `go test ./...` leaves it unset
// and the browser tests skip, so the quick run does not spend seconds of both
// cores starting a browser.
const ChromiumVar = "COGNITO_BOT_CHROMIUM"

// Chromium returns the path of the browser named by ChromiumVar. Unset, it
// skips the test, or fails it when RequireVar is "1" (under `make test` a
// missing browser must not pass silently). Set to a path that is not an
// executable file, it always fails: the environment claimed a browser that is
// not there.
func Chromium(t testing.TB) string {
	t.Helper()
	path := os.Getenv(ChromiumVar)
	if path == "" {
		why := ChromiumVar + " unset (make test sets it to the chromium scripts/ensure-chromium.sh installs)"
		if os.Getenv(RequireVar) == "1" {
			t.Fatal("browser test needs Chromium: " + why + ", and " + RequireVar + "=1 says the local world is there")
		}
		t.Skip("browser test skipped: " + why)
	}
	info, err := os.Stat(path)
	if err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
		t.Fatalf("%s=%s is not an executable file (stat: %v); install chromium (apt-get install chromium) or unset it", ChromiumVar, path, err)
	}
	return path
}
