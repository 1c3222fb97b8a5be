package cognito

import (
	"time"
)

// User is a Cognito user as the bot shows it. The well-known attributes are
// lifted into fields; Attributes still holds every attribute Cognito returned.
type User struct {
	Username string
	Sub      string

	Email         string
	EmailVerified bool
	Phone         string // E.164, e.g. "+15555550100"
	PhoneVerified bool

	// Status is Cognito's UserStatusType as returned, e.g. "CONFIRMED" or
	// "FORCE_CHANGE_PASSWORD". It is independent of Enabled: a disabled user
	// keeps their status.
	Status  string
	Enabled bool

	Created, Modified time.Time

	// Attributes maps every returned attribute name (custom:* included) to its value.
	Attributes map[string]string

	Groups       []string // filled by GetUser only, sorted
	MFAMethods   []string // filled by GetUser only (UserMFASettingList)
	PreferredMFA string   // filled by GetUser only
}

// LiftAttributes fills the well-known fields from Attributes.
func (u *User) LiftAttributes() {
	u.Sub = u.Attributes["sub"]
	u.Email = u.Attributes["email"]
	u.EmailVerified = u.Attributes["email_verified"] == "true"
	u.Phone = u.Attributes["phone_number"]
	u.PhoneVerified = u.Attributes["phone_number_verified"] == "true"
}
