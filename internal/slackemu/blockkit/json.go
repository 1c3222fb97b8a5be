package blockkit

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
)

// IsEmptyJSON reports whether a JSON field is absent or holds nothing (null,
// an empty list or object): Slack treats all of these as "no blocks".
func IsEmptyJSON(b json.RawMessage) bool {
	switch string(b) {
	case "", "null", "[]", "{}":
		return true
	}
	return false
}

// APIError is a Web API refusal of a surface: Slack's error code (such as
// invalid_arguments or view_too_large) and the messages it lists with it.
type APIError struct {
	Code     string
	Messages []string
}

// Error is the Slack error code, as the Web API answers it.
func (e *APIError) Error() string { return e.Code }

// randomHex returns n random bytes as hex, for the ids Slack fills in.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// marshal encodes v without HTML escaping (Slack sends "<" and "&" literally)
// and without a trailing newline; nil if v cannot be encoded.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
