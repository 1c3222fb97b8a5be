package cognito

import (
	"slices"
	"time"
)

// Device is a device the user chose to remember (or Cognito tracks).
type Device struct {
	// Key identifies the device for ForgetDevice.
	Key string
	// Name is the device_name attribute the app sent, often a user agent.
	Name string
	// LastIP is the last_ip_used attribute.
	LastIP string
	// Remembered is the device's remembered status ("remembered",
	// "not_remembered"), "" when Cognito did not say.
	Remembered                 string
	Created, LastAuthenticated time.Time
}

// SortDevices orders devices by last authentication, newest first, then key.
func SortDevices(devices []Device) {
	slices.SortStableFunc(devices, func(a, b Device) int {
		if c := b.LastAuthenticated.Compare(a.LastAuthenticated); c != 0 {
			return c
		}
		return compareStrings(a.Key, b.Key)
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
