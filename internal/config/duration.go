package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written in the config file as a string such
// as "15m" or "8760h". It also accepts whole days ("365d") because audit
// retention is naturally stated in days and Go's syntax has no day unit.
type Duration time.Duration

var daysPattern = regexp.MustCompile(`^(\d+)d$`)

const durationHint = "use a Go duration like 15m or 2h, or whole days like 365d"

// ParseDuration parses Go duration syntax plus the whole-day form "Nd".
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if m := daysPattern.FindStringSubmatch(s); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n > int64(1<<63-1)/int64(24*time.Hour) {
			return 0, fmt.Errorf("duration %q is too large", s)
		}
		return Duration(time.Duration(n) * 24 * time.Hour), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q; %s", s, durationHint)
	}
	return Duration(d), nil
}

// Std returns d as a time.Duration for use with the time package.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats d the way a person would write it in the file: "5m"
// rather than time.Duration's "5m0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// UnmarshalYAML parses a scalar string. A bad value is reported as a
// *yaml.TypeError so the decoder carries on and every other problem in the
// file is still found.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{
			fmt.Sprintf("line %d: cannot unmarshal %s into config.Duration", n.Line, n.ShortTag()),
		}}
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return &yaml.TypeError{Errors: []string{
			fmt.Sprintf("line %d: invalid duration `%s`; %s", n.Line, n.Value, durationHint),
		}}
	}
	*d = v
	return nil
}

// MarshalYAML writes d in the same form UnmarshalYAML reads.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }
