package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Environment variables the bot reads. AWS settings are deliberately absent:
// the AWS SDK reads AWS_REGION, AWS_ENDPOINT_URL_* and credentials itself.
const (
	// EnvAppToken holds the Socket Mode app-level token (xapp-…).
	EnvAppToken = "SLACK_APP_TOKEN"
	// EnvBotToken holds the bot user OAuth token (xoxb-…).
	EnvBotToken = "SLACK_BOT_TOKEN"
	// EnvAPIURL optionally points the Slack Web API at an emulator.
	EnvAPIURL = "SLACK_API_URL"
	// EnvConfigPath names the config file when --config is not given.
	EnvConfigPath = "COGNITO_BOT_CONFIG"
)

// Load reads the Slack settings from getenv (os.Getenv if nil) and the YAML
// file at path, applies defaults and validates the result. The caller
// resolves path from --config or EnvConfigPath. On any problem it returns a
// *Problems listing every problem found, with the key to fix, in the order
// they appear in the file.
func Load(path string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg, probs, ix := decodeFile(path)
	cfg.Path = path
	cfg.Slack.AppToken = strings.TrimSpace(getenv(EnvAppToken))
	cfg.Slack.BotToken = strings.TrimSpace(getenv(EnvBotToken))
	cfg.Slack.APIURL = normalizeAPIURL(getenv(EnvAPIURL))

	if ix == nil {
		// The file could not be read or parsed: report that and the
		// environment, but not a flood of "required" for every key.
		var env Problems
		cfg.validateEnv(&env)
		probs = append(env, probs...)
		return nil, probs.Err()
	}
	cfg.applyDefaults(func(key string) bool { return ix.present[key] })
	decodeProbs := slices.Clone(probs)
	for _, pr := range cfg.Validate() {
		if !decodeProbs.has(pr.Key) {
			probs = append(probs, pr)
		}
	}
	probs.sortByLine(ix.lineOf)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// decodeFile reads and strictly decodes the file. It returns a nil index if
// the file is unusable (missing, unreadable, not YAML); decode problems such
// as unknown keys still yield an index so validation can go on.
func decodeFile(path string) (*Config, Problems, *nodeIndex) {
	cfg := &Config{}
	var probs Problems
	if path == "" {
		probs.add("config", "no config file given; pass --config or set %s", EnvConfigPath)
		return cfg, probs, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		probs.add("config", "reading config file: %v", err)
		return cfg, probs, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		probs.add("config", "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return cfg, probs, nil
	}
	if len(root.Content) == 1 && root.Content[0].Kind != yaml.MappingNode {
		what := "single value"
		if root.Content[0].Kind == yaml.SequenceNode {
			what = "list"
		}
		probs.add("config", "line %d: the file must be a mapping of keys such as pools: and roles:, not a %s",
			root.Content[0].Line, what)
		return cfg, probs, nil
	}
	ix := indexNodes(&root)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err = dec.Decode(cfg)
	var typeErr *yaml.TypeError
	switch {
	case err == nil, errors.Is(err, io.EOF):
	case errors.As(err, &typeErr):
		for _, msg := range typeErr.Errors {
			probs = append(probs, ix.problemFor(msg))
		}
	default:
		probs.add("config", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return cfg, probs, ix
}

// normalizeAPIURL trims space and makes a non-empty URL end with "/", the
// form slack-go's OptionAPIURL expects.
func normalizeAPIURL(u string) string {
	u = strings.TrimSpace(u)
	if u != "" && !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// String renders the configuration as YAML for logs and check-config. The
// tokens are never included: only whether each is set.
func (c Config) String() string {
	out, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Sprintf("config: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n", EnvAppToken, setOrNot(c.Slack.AppToken))
	fmt.Fprintf(&b, "# %s: %s\n", EnvBotToken, setOrNot(c.Slack.BotToken))
	if c.Slack.APIURL != "" {
		fmt.Fprintf(&b, "# %s: %s\n", EnvAPIURL, c.Slack.APIURL)
	}
	b.Write(out)
	return b.String()
}

// GoString keeps %#v from printing the tokens.
func (c Config) GoString() string { return c.String() }

// String describes the Slack settings with the tokens redacted, so logging
// cfg.Slack with %v or %+v is safe.
func (s Slack) String() string {
	return fmt.Sprintf("{AppToken:%s BotToken:%s APIURL:%s Command:%s GroupRefresh:%s AllowedTeams:%v}",
		redact(s.AppToken), redact(s.BotToken), s.APIURL, s.Command, s.GroupRefresh, s.AllowedTeams)
}

// GoString keeps %#v from printing the tokens.
func (s Slack) GoString() string { return s.String() }

func setOrNot(token string) string {
	if token == "" {
		return "not set"
	}
	return "set"
}

func redact(token string) string {
	if token == "" {
		return `""`
	}
	return "[redacted]"
}
