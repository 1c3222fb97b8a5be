package slackemu

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// randomHex returns n random bytes as hex; IDs must be unguessable so a test
// cannot pass by accident with a hard-coded value.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// nextSeqLocked returns a per-server sequence number. Callers hold s.mu.
func (s *Server) nextSeqLocked() int {
	s.seq++
	return s.seq
}

// nextTSLocked returns a unique, increasing Slack timestamp ("1700000000.000100").
// Callers hold s.mu.
func (s *Server) nextTSLocked() string {
	us := s.now().UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// newTriggerIDLocked returns a trigger_id shaped like Slack's "123.456.hex".
func (s *Server) newTriggerIDLocked() string {
	return fmt.Sprintf("%d.%d.%s", s.now().UnixMilli(), 1000000000+s.nextSeqLocked(), randomHex(16))
}

// newSlackIDLocked returns an ID such as "V0A1B2C3D4" with the given prefix.
func (s *Server) newSlackIDLocked(prefix string) string {
	return fmt.Sprintf("%s%04d%s", prefix, s.nextSeqLocked(), strings.ToUpper(randomHex(3)))
}

// marshal encodes v without HTML escaping (Slack sends "<" and "&" literally,
// and tests grep raw JSON for "&lt;"), and without a trailing newline.
// It returns nil if v cannot be encoded.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
