package bot

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// The fuzz targets below cover what people type and what Slack delivers.
// Plain `go test` runs their seed corpora (here and in testdata/fuzz/); `make
// fuzz` runs each one for FUZZTIME.

// fuzzBot is a bot whose command parsers can run: nothing is connected and no
// command is run, only parsed.
func fuzzBot(f *testing.F) *Bot {
	f.Helper()
	path := filepath.Join(f.TempDir(), "bot.yaml")
	yaml := "pools:\n  - name: prod\n    id: us-east-1_Fuzz\n  - name: staging\n    id: eu-west-1_Fuzz\n" +
		"audit:\n  table: audit\n  state_table: state\n" +
		"roles:\n  - name: admin\n    actions: [\"*\"]\n    members: [U1]\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		f.Fatal(err)
	}
	env := map[string]string{"SLACK_APP_TOKEN": "xapp-1-fuzz", "SLACK_BOT_TOKEN": "xoxb-fuzz", "AWS_REGION": "us-east-1"}
	cfg, err := config.Load(path, func(k string) string { return env[k] })
	if err != nil {
		f.Fatal(err)
	}
	b, err := New(Config{Settings: cfg, Users: memdir.New(), Audit: audit.NewMemoryLog(time.Hour),
		State: state.NewMemoryStore(), Policy: rbac.New(cfg, nil), Slack: socketmode.New(slack.New("xoxb-fuzz"))})
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// renderArgs writes args back as command text that splitArgs reads as args:
// bare when an argument has no space or quote, else in the first kind of
// quotes whose closer it does not contain. ok is false when every closer
// appears in one argument (nothing can quote it).
func renderArgs(args []string) (string, bool) {
	quotes := [][3]string{{`"`, `"`, `"`}, {`'`, `'`, `'`}, {"“", "”", "“"}, {"‘", "’", "’"}}
	var out []string
	for _, a := range args {
		if a != "" && !strings.ContainsFunc(a, func(r rune) bool { _, q := desk.ClosingQuote[r]; return q || unicode.IsSpace(r) || r == '’' }) {
			out = append(out, a)
			continue
		}
		quoted := false
		for _, q := range quotes {
			if !strings.Contains(a, q[1]) && !strings.Contains(a, q[2]) {
				out, quoted = append(out, q[0]+a+q[1]), true
				break
			}
		}
		if !quoted {
			return "", false
		}
	}
	return strings.Join(out, " "), true
}

// FuzzCommandLine: whatever text arrives after /cognito, splitting it never
// panics, yields valid UTF-8 arguments that read back the same when written
// out again (split → render → split), and every command's parser answers it
// with an invocation or a sentence, never a panic.
func FuzzCommandLine(f *testing.F) {
	for _, s := range []string{
		"lookup alice@example.com --public", `disable bob --reason "left the company"`, "delete frank --reason “GDPR request”",
		"bulk disable u1 u2 u3 --pool staging", `edit boss email=boss@example.com name="Big Boss" --verified`,
		"list --status CONFIRMED --prefix email=al --limit 5", "create newbie --email n@example.com --group a --group b",
		"audit --actor <@U123|bob> --limit 3", "lookup <mailto:a@b.co|a@b.co>", "forget-device ann eu-west-1_abc",
		`--reason="two words"`, "O'Brien", "'", `"unterminated`, "export --attributes all --with-groups --created-before 30d",
		"bulk enable --group admins --reason x", "verify ann email", "help bulk", "",
	} {
		f.Add(s)
	}
	b := fuzzBot(f)
	req := &request{Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Channel: "C1"}
	f.Fuzz(func(t *testing.T, text string) {
		args, err := desk.SplitArgs(desk.UnwrapSlackText(text))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error")
			}
			return
		}
		for _, a := range args {
			if !utf8.ValidString(a) {
				t.Fatalf("argument %q is not valid UTF-8", a)
			}
		}
		if line, ok := renderArgs(args); ok {
			again, err := desk.SplitArgs(line)
			if err != nil || !slices.Equal(again, args) {
				t.Fatalf("split %q → %q → rendered %q → %q (%v)", text, args, line, again, err)
			}
		}
		if len(args) == 0 {
			return
		}
		cmd, ok := b.Registry.Find(args[0])
		if !ok {
			_ = b.Registry.Closest(args[0])
			return
		}
		if _, err := cmd.Parse(b.Commands, req, args[1:]); err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Fatalf("%q: an error without a sentence", args)
		}
	})
}

// FuzzInteractionPayload: any JSON Slack could deliver as an interaction is
// read as the event loop reads it — the first block action, or the modal's
// answers — without a panic; a button value the bot accepts as opaque splits
// into a session id and item number that read back the same.
func FuzzInteractionPayload(f *testing.F) {
	for _, s := range []string{
		`{"type":"block_actions","user":{"id":"U1","team_id":"T1"},"team":{"id":"T1"},"channel":{"id":"C1"},"container":{"message_ts":"1.2","channel_id":"C1"},"actions":[{"action_id":"card:disable","value":"abcdefgh12#2","action_ts":"1.3"}]}`,
		`{"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"confirm_yes","selected_option":{"value":"abcdefghij"}}]}`,
		`{"type":"view_submission","user":{"id":"U1"},"view":{"id":"V1","callback_id":"reason","private_metadata":"abcdefgh12","state":{"values":{"reason":{"reason":{"type":"plain_text_input","value":"because"}}}}},"response_urls":[{"response_url":"https://hooks.slack.com/x","channel_id":"C1"}]}`,
		`{"type":"view_submission","view":{"callback_id":"create","state":{"values":{"attr:email":{"value":{"type":"plain_text_input","value":"x"}}}}}}`,
		`{"type":"block_actions","actions":[null]}`,
	} {
		f.Add([]byte(s))
	}
	now := time.Unix(1_800_000_000, 0)
	f.Fuzz(func(t *testing.T, payload []byte) {
		var cb slack.InteractionCallback
		if json.Unmarshal(payload, &cb) != nil {
			return
		}
		if act, ok := transport.FirstBlockAction(cb); ok {
			r := transport.RequestFromAction(cb, act, "E1", now)
			if !strings.HasPrefix(r.Ref, "click#") {
				t.Fatalf("click request without its ref: %+v", r)
			}
			if value := cmp.Or(act.Value, act.SelectedOption.Value); desk.OpaqueValue.MatchString(value) {
				id, n, ok := desk.SplitValue(value)
				if !ok {
					t.Fatalf("opaque value %q does not split", value)
				}
				if id2, n2, ok := desk.SplitValue(id + "#" + strconv.Itoa(n)); !ok || id2 != id || n2 != n {
					t.Fatalf("value %q → (%q, %d) → (%q, %d, %v)", value, id, n, id2, n2, ok)
				}
			}
		}
		sub, problems := transport.ReadSubmission(handler{}, cb)
		if sub.CallbackID != cb.View.CallbackID || sub.Meta != cb.View.PrivateMetadata {
			t.Fatalf("submission %+v lost its view's ids", sub)
		}
		for block, p := range problems {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("block %q: a problem without a sentence", block)
			}
		}
		if r := transport.RequestFromSubmission(cb, "E1", now); !strings.HasPrefix(r.Ref, "view#") {
			t.Fatalf("submission request without its ref: %+v", r)
		}
	})
}
