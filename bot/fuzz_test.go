package bot

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
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
	"github.com/cognito-bot/cognito-bot/bot/bulk"
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
		if a != "" && !strings.ContainsFunc(a, func(r rune) bool { _, q := closingQuote[r]; return q || unicode.IsSpace(r) || r == '’' }) {
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
		args, err := splitArgs(unwrapSlackText(text))
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
			again, err := splitArgs(line)
			if err != nil || !slices.Equal(again, args) {
				t.Fatalf("split %q → %q → rendered %q → %q (%v)", text, args, line, again, err)
			}
		}
		if len(args) == 0 {
			return
		}
		cmd, ok := b.registry.find(args[0])
		if !ok {
			_ = b.registry.closest(args[0])
			return
		}
		if _, err := cmd.Parse(b, req, args[1:]); err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Fatalf("%q: an error without a sentence", args)
		}
	})
}

// slackEscape is what Slack does to the text a person types before the bot
// sees it (outside links and mentions).
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// FuzzUnwrapSlackText: unwrapping never panics; what a person typed, escaped
// by Slack, comes back exactly; a mailto link becomes its bare address and a
// mention loses its label.
func FuzzUnwrapSlackText(f *testing.F) {
	for _, s := range []string{"alice", "a &lt;b&gt; &amp; c", "&amp;lt;", "<mailto:a@b.c|a@b.c>", "<@U123|bob>", "<#C1|general>",
		"<!subteam^S1|@grp>", "<http://x.y|x.y>", "<tel:+15551234|+1 555 1234>", "<<>>", "<|>", "<@|>", "&amp;amp;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = unwrapSlackText(s)
		if got := unwrapSlackText(slackEscape.Replace(s)); got != s {
			t.Fatalf("typed %q, Slack sent %q, unwrapped to %q", s, slackEscape.Replace(s), got)
		}
		if !strings.ContainsAny(s, "<>|") {
			if got := unwrapSlackText("<mailto:" + s + "|label>"); got != unwrapSlackText(s) {
				t.Fatalf("mailto %q unwrapped to %q", s, got)
			}
			if got := unwrapSlackText("<@" + s + "|label>"); got != unwrapSlackText("<@"+s+">") {
				t.Fatalf("mention %q kept its label: %q", s, got)
			}
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
		if act, ok := firstBlockAction(cb); ok {
			r := requestFromAction(cb, act, "E1", now)
			if !strings.HasPrefix(r.Ref, "click#") {
				t.Fatalf("click request without its ref: %+v", r)
			}
			if value := firstNonEmpty(act.Value, act.SelectedOption.Value); opaqueValue.MatchString(value) {
				id, n, ok := splitValue(value)
				if !ok {
					t.Fatalf("opaque value %q does not split", value)
				}
				if id2, n2, ok := splitValue(id + "#" + strconv.Itoa(n)); !ok || id2 != id || n2 != n {
					t.Fatalf("value %q → (%q, %d) → (%q, %d, %v)", value, id, n, id2, n2, ok)
				}
			}
		}
		sub, problems := readSubmission(cb)
		if sub.callbackID != cb.View.CallbackID || sub.meta != cb.View.PrivateMetadata {
			t.Fatalf("submission %+v lost its view's ids", sub)
		}
		for block, p := range problems {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("block %q: a problem without a sentence", block)
			}
		}
		if r := requestFromSubmission(cb, "E1", now); !strings.HasPrefix(r.Ref, "view#") {
			t.Fatalf("submission request without its ref: %+v", r)
		}
	})
}

// sessionBodies are the bodies a button's session may hold, by kind.
var sessionBodies = []func() any{
	func() any { return &cardSession{} }, func() any { return &deviceSession{} }, func() any { return &pickSession{} },
	func() any { return &reasonSession{} }, func() any { return &listSession{} }, func() any { return &groupsSession{} },
	func() any { return &editSession{} }, func() any { return &createSession{} }, func() any { return &importSession{} },
	func() any { return &bulkUsersSession{} },
}

// FuzzSessionDecoding: a stored session body (whatever the state table
// holds) decodes into its kind without a panic, and what decodes re-encodes
// to a body that decodes to the same again (decode → encode → decode is
// stable), so a session survives being saved and read back.
func FuzzSessionDecoding(f *testing.F) {
	f.Add(uint8(0), []byte(`{"pool":"prod","target":{"username":"ann","sub":"s-1"},"items":[{"action":"verify","args":{"attribute":"email"}}]}`))
	f.Add(uint8(2), []byte(`{"pool":"prod","action":"disable","limit":5,"args":{"reason":"x"},"choices":[{"username":"a","sub":"1"}]}`))
	f.Add(uint8(3), []byte(`{"action":"delete","target":{"username":"frank"},"pending_id":"p1","pool":"prod","channel":"C1","response_url":"https://x"}`))
	f.Add(uint8(4), []byte(`{"pool":"prod","status":"CONFIRMED","limit":10,"tokens":{"2":"tok"}}`))
	f.Add(uint8(6), []byte(`{"target":{"username":"boss"},"original":{"email":"a@b.c"},"pool":"prod"}`))
	f.Add(uint8(9), []byte(`{"action":"disable","args":{"attribute":"email"},"reason":"r","pool":"prod"}`))
	f.Add(uint8(1), []byte(`null`))
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		make := sessionBodies[int(kind)%len(sessionBodies)]
		v := make()
		if json.Unmarshal(body, v) != nil {
			return
		}
		b1, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("a decoded %T does not encode: %v", v, err)
		}
		v2 := make()
		if err := json.Unmarshal(b1, v2); err != nil {
			t.Fatalf("%T: its own encoding %s does not decode: %v", v, b1, err)
		}
		if b2, _ := json.Marshal(v2); !bytes.Equal(b1, b2) {
			t.Fatalf("%T not stable:\n%s\n%s", v, b1, b2)
		}
	})
}

// renderImport writes import lines back as a CSV, as a person (or the bot's
// export) would, neutralising formula cells with bulk.SafeCell.
func renderImport(lines []importLine) []byte {
	cols := map[string]bool{}
	for _, l := range lines {
		for k := range l.attrs {
			cols[k] = true
		}
	}
	header := append([]string{"username", "groups"}, slices.Sorted(maps.Keys(cols))...)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	for _, l := range lines {
		rec := []string{bulk.SafeCell(l.username), bulk.SafeCell(strings.Join(l.groups, ";"))}
		for _, c := range header[2:] {
			rec = append(rec, bulk.SafeCell(l.attrs[c]))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

// FuzzImportCSV: any file attached to the import form is read without a
// panic into lines that each have a username and an email, or into problems
// that each name a line and say what is wrong; a clean file written back out
// reads as the same users (parse → render → parse is stable). The bulk form's
// user list reader takes the same bytes without a panic.
func FuzzImportCSV(f *testing.F) {
	for _, s := range []string{
		"username,email,phone_number,name,custom:tenant,groups\nann,ann@example.com,+15555550100,Ann,acme,support;admins\nbob,bob@example.com,,,,\n",
		"\ufeffusername,email\nann,ann@example.com\n\nbob,bob@example.com\n",
		"username,email,phone_number\nann,ann@example.com,'+15555550100\n",
		"username,email\nann,ann@example.com\nann,other@example.com\n",
		"email\nann@example.com\n", "username,,email\n", "username,\"unterminated\n", "",
		"username,email,name\n\"a b\",x@y.z,\"=cmd|' /C calc'!A0\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		_, _ = listFromFile(content)
		lines, problems := parseImportCSV(content)
		for _, p := range problems {
			if p.Line < 1 || strings.TrimSpace(p.Problem) == "" {
				t.Fatalf("problem %+v names no line or says nothing", p)
			}
		}
		for _, l := range lines {
			if l.username == "" || l.attrs["email"] == "" {
				t.Fatalf("line %d kept without username or email: %+v", l.line, l)
			}
		}
		if len(problems) > 0 {
			return
		}
		rendered := renderImport(lines)
		again, problems := parseImportCSV(rendered)
		if len(problems) > 0 || len(again) != len(lines) {
			t.Fatalf("a clean file written back out:\n%s\nreads as %d lines, problems %+v (was %d lines)", rendered, len(again), problems, len(lines))
		}
		for i := range lines {
			a, b := lines[i], again[i]
			if a.username != b.username || !maps.Equal(a.attrs, b.attrs) || !slices.Equal(a.groups, b.groups) {
				t.Fatalf("line %d: %+v read back as %+v from\n%s", i, a, b, rendered)
			}
		}
	})
}
