package sandbox

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// ConfigYAML is the sandbox's configuration file, shown on the page so that a
// visitor reads the same format they will write for production.
//
//go:embed sandbox.yaml
var ConfigYAML string

// defaultPoolID is the pool id in ConfigYAML; emulators that mint their own
// pool ids replace it.
const defaultPoolID = "eu-west-1_SandBox01"

// Persona is a Slack user a visitor can act as.
type Persona struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	RealName string `json:"realName"`
	Role     string `json:"role"`
	Blurb    string `json:"blurb"`
}

// Personas are the sandbox's users, one per role in ConfigYAML.
var Personas = []Persona{
	{ID: "U0SBHELPDESK", Name: "hal", RealName: "Hal (helpdesk)", Role: "helpdesk", Blurb: "Looks users up, disables, resets and revokes; deletes need approval."},
	{ID: "U0SBADMIN", Name: "ada", RealName: "Ada (admin)", Role: "admin", Blurb: "May run every action."},
	{ID: "U0SBVIEWER", Name: "vic", RealName: "Vic (viewer)", Role: "viewer", Blurb: "Read only: lookups and lists, no buttons that change anything."},
	{ID: "U0SBAPPROVER", Name: "abe", RealName: "Abe (approver)", Role: "approver", Blurb: "Approves or rejects deletes in #approvals."},
}

// Channel IDs of the sandbox workspace.
const (
	ChannelSupport   = "C0SUPPORT"
	ChannelApprovals = "C0APPROVALS"
	// ChannelHome is the app's Home tab, shown like a channel.
	ChannelHome = "HOME"
)

// personaByID finds a persona; ok is false for anyone else.
func personaByID(id string) (Persona, bool) {
	for _, p := range Personas {
		if p.ID == id {
			return p, true
		}
	}
	return Persona{}, false
}

// LoadConfig parses ConfigYAML through the production loader (so the sandbox
// can never drift from the real format), with poolID in place of the default
// pool id when set and the emulator's tokens and URL as the environment.
// It returns the configuration and the YAML text actually used.
func LoadConfig(poolID, apiURL, appToken, botToken string) (*config.Config, string, error) {
	text := ConfigYAML
	if poolID != "" {
		text = strings.ReplaceAll(text, defaultPoolID, poolID)
	}
	dir, err := os.MkdirTemp("", "cognito-bot-sandbox-")
	if err != nil {
		return nil, "", fmt.Errorf("writing the sandbox configuration: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sandbox.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return nil, "", fmt.Errorf("writing the sandbox configuration: %w", err)
	}
	env := map[string]string{config.EnvAppToken: appToken, config.EnvBotToken: botToken, config.EnvAPIURL: apiURL}
	cfg, err := config.Load(path, func(k string) string { return env[k] })
	if err != nil {
		return nil, "", fmt.Errorf("loading the sandbox configuration: %w", err)
	}
	cfg.Path = "sandbox.yaml (built in)"
	return cfg, text, nil
}
