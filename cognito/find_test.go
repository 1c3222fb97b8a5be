package cognito

import (
	"errors"
	"strings"
	"testing"
)

func TestClassifyQuery(t *testing.T) {
	tests := []struct {
		in, attr, value string
		bad             bool
	}{
		{in: "  Alice@Example.COM ", attr: "email", value: "alice@example.com"},
		{in: "+1 (555) 555-0100", attr: "phone_number", value: "+15555550100"},
		{in: "+44.20.7946.0958", attr: "phone_number", value: "+442079460958"},
		{in: "8F14E45F-CEEA-467F-A0E6-3A1B2C3D4E5F", attr: "sub", value: "8f14e45f-ceea-467f-a0e6-3a1b2c3d4e5f"},
		{in: "bob", attr: "username", value: "bob"},
		{in: "Bob.Smith ", attr: "username", value: "Bob.Smith"},
		{in: "8f14e45f-ceea", attr: "username", value: "8f14e45f-ceea"},
		{in: "", bad: true},
		{in: "   ", bad: true},
		{in: `a"b`, bad: true},
		{in: `a"@x.com`, bad: true},
		{in: `evil" or username ^= "`, bad: true},
		{in: `back\slash`, bad: true},
		{in: "tab\tinside", bad: true},
		{in: "nl\n@x.com", bad: true},
		{in: "zero\u200bwidth", bad: true},
		{in: "\xff\xfe", bad: true},
		{in: "+12ab", bad: true},
		{in: "+0123", bad: true},
		{in: "+1234567890123456", bad: true}, // 16 digits: not E.164
	}
	for _, tt := range tests {
		attr, value, err := ClassifyQuery(tt.in)
		if tt.bad {
			if !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("ClassifyQuery(%q): got (%q, %q, %v), want ErrInvalidQuery", tt.in, attr, value, err)
			}
			continue
		}
		if err != nil || attr != tt.attr || value != tt.value {
			t.Errorf("ClassifyQuery(%q) = (%q, %q, %v), want (%q, %q, nil)", tt.in, attr, value, err, tt.attr, tt.value)
		}
	}
}

func TestBuildFilter(t *testing.T) {
	f, err := BuildFilter("email", "=", "a@example.com")
	if err != nil || f != `email = "a@example.com"` {
		t.Fatalf("BuildFilter = %q, %v", f, err)
	}
	f, err = BuildFilter("family_name", "^=", "Red")
	if err != nil || f != `family_name ^= "Red"` {
		t.Fatalf("BuildFilter prefix = %q, %v", f, err)
	}
	for _, v := range []string{`x"`, `x\`, "x\x00", "x\r"} {
		if _, err := BuildFilter("username", "=", v); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("BuildFilter(%q): got %v, want ErrInvalidQuery", v, err)
		}
	}
	if _, err := BuildFilter("username", "=", strings.Repeat("a", 250)); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("over-long filter: got %v, want ErrInvalidQuery", err)
	}
}
