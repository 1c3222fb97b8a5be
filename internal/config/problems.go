package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with the configuration, named by the key a
// person must edit (e.g. "pools[1].id" or "env.SLACK_APP_TOKEN").
type Problem struct {
	// Key is the dotted YAML path, "env.NAME" for environment variables,
	// or "config" for the file as a whole.
	Key string
	// Message says what is wrong and, where useful, how to fix it. It never
	// contains a secret.
	Message string
}

// String formats p as "key: message".
func (p Problem) String() string { return p.Key + ": " + p.Message }

// Problems collects every Problem found, so one run reports them all. A
// *Problems is the error Load returns.
type Problems []Problem

// Error lists every problem, one per line, as "key: message".
func (p *Problems) Error() string {
	lines := make([]string, len(*p))
	for i, pr := range *p {
		lines[i] = pr.String()
	}
	return strings.Join(lines, "\n")
}

// Err returns p as an error, or nil if there are no problems, so callers
// can write `if err := cfg.Validate().Err(); err != nil`.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &p
}

// add appends a problem; it keeps the validators short.
func (p *Problems) add(key, format string, args ...any) {
	*p = append(*p, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

// has reports whether key, or a key above it, already has a problem; Load
// uses it so a value the decoder rejected is not also reported as missing.
func (p Problems) has(key string) bool {
	for _, pr := range p {
		if pr.Key == key || strings.HasPrefix(key, pr.Key+".") || strings.HasPrefix(key, pr.Key+"[") {
			return true
		}
	}
	return false
}

// sortByLine orders problems as a reader meets them: environment first,
// then file problems by line, then keys absent from the file.
func (p Problems) sortByLine(line func(key string) int) {
	rank := func(pr Problem) int {
		switch {
		case strings.HasPrefix(pr.Key, "env."):
			return 0
		case pr.Key == "config":
			return 1
		}
		if l := line(pr.Key); l > 0 {
			return 1 + l
		}
		return 1 << 30
	}
	sort.SliceStable(p, func(i, j int) bool { return rank(p[i]) < rank(p[j]) })
}
