package app

import (
	"bytes"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

func TestHelpVersionFlagAndExitCodesAreDocumented(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		var out, errOut bytes.Buffer
		if code := Main(args, "v1", envOf(nil), &out, &errOut); code != exitOK {
			t.Errorf("%v exited %d", args, code)
		}
		for _, want := range []string{"check-config [--online]", "--version", "Exit codes", "130", "second one exits at once"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v: usage lacks %q", args, want)
			}
		}
	}
	var out, errOut bytes.Buffer
	if code := Main([]string{"--version"}, "v2.0.1", envOf(nil), &out, &errOut); code != exitOK || out.String() != "cognito-bot v2.0.1\n" {
		t.Errorf("--version: %d %q", code, out.String())
	}
	out.Reset()
	if code := Main([]string{"run", "--online"}, "v", envOf(nil), &out, &errOut); code != exitUsage {
		t.Errorf("--online outside check-config exited %d", code)
	}
}

func TestUnstampedVersionComesFromBuildInfo(t *testing.T) {
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install of a tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		{"build in a clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "false"}}}, "0123456789ab"},
		{"build with local changes", &debug.BuildInfo{Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}, "0123456789ab+dirty"},
		{"no VCS information", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
	}
	for _, c := range cases {
		if got := versionFromBuildInfo(c.bi, true); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := resolveVersion("v9"); got != "v9" {
		t.Errorf("a stamped version was replaced by %q", got)
	}
	if got := resolveVersion(""); got == "" {
		t.Error("an unstamped build has no version")
	}
}

func TestFirstSignalDrainsSecondExits(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	stopped, exited := make(chan struct{}), make(chan struct{})
	go stopOnSignals(sigs, func() { close(stopped) }, func() { close(exited) }, zaptest.NewLogger(t))
	sigs <- syscall.SIGTERM
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not start the drain")
	}
	select {
	case <-exited:
		t.Fatal("one signal exited the process")
	case <-time.After(50 * time.Millisecond):
	}
	sigs <- syscall.SIGINT
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
}

// --listen only moves the sandbox page: given to a configured bot (which serves its
// metrics on ops.listen) or to another command it is a usage error, as is an
// address that is not HOST:PORT — never silently ignored, never exit 1.
func TestListenOutsideTheSandboxOrMalformedIsAUsageError(t *testing.T) {
	example := "../../cognito-bot.example.yaml"
	tokens := map[string]string{"SLACK_APP_TOKEN": "xapp-1-test", "SLACK_BOT_TOKEN": "xoxb-test"}
	cases := map[string]struct {
		args []string
		env  map[string]string
		want string
	}{
		"run with a config":       {args: []string{"run", "--config", example, "--listen", "127.0.0.1:0"}, env: tokens, want: "ops.listen"},
		"run with Slack tokens":   {args: []string{"--listen", "127.0.0.1:0"}, env: tokens, want: "ops.listen"},
		"check-config":            {args: []string{"check-config", "--config", example, "--listen", ":8080"}, env: tokens, want: "belongs to run"},
		"no port":                 {args: []string{"--listen", "bogus"}, want: "HOST:PORT"},
		"port is not a number":    {args: []string{"--listen", "127.0.0.1:http"}, want: "port must be a number"},
		"port is out of range":    {args: []string{"--listen", ":70000"}, want: "port must be a number"},
		"malformed with a config": {args: []string{"run", "--config", example, "--listen", "bogus"}, env: tokens, want: "HOST:PORT"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := Main(tc.args, "test", envOf(tc.env), &out, &errOut); code != exitUsage {
				t.Fatalf("exit %d, want %d (usage); stderr:\n%s", code, exitUsage, errOut.String())
			}
			if !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("stderr does not say %q:\n%s", tc.want, errOut.String())
			}
		})
	}
}
