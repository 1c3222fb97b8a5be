// Command slack-emulator runs the internal/slackemu Slack emulator on a fixed
// port, so cognito-bot can be run and poked by hand on machines that cannot
// reach Slack:
//
//	go run ./cmd/slack-emulator -addr 127.0.0.1:3333
//	# in another shell: export the printed SLACK_* variables, then make run
//
// It reads commands on stdin ("help" lists them) and prints every ack,
// message change and modal as it happens.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

const help = `commands:
  /cognito <text>                 the default user runs a slash command in the default channel
  as <USER> /cognito <text>       another user runs it
  click <ts> <action_id> [USER]   click a button on a message (by ts)
  submit <view_id> <block>.<action>=<value> ... [as <USER>]
  disconnect [reason]             send a disconnect frame (default refresh_requested)
  drop                            close every socket abruptly
  status                          connections and counts
`

func main() {
	addr := flag.String("addr", "127.0.0.1:3333", "address to listen on")
	user := flag.String("user", "U1", "default user ID for commands")
	channel := flag.String("channel", "C1", "channel the commands are typed in")
	flag.Parse()

	logger := log.New(os.Stderr, "", log.Ltime)
	srv := slackemu.New(slackemu.Options{Addr: *addr, Logf: logger.Printf})
	defer srv.Close()
	srv.AddUser(*user, strings.ToLower(*user), "User "+*user)
	fmt.Printf("export SLACK_API_URL=%s\nexport SLACK_APP_TOKEN=%s\nexport SLACK_BOT_TOKEN=%s\n",
		srv.APIURL(), srv.AppToken(), srv.BotToken())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go watch(ctx, srv)

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case line := <-lines:
			if err := run(ctx, srv, strings.Fields(line), *user, *channel); err != nil {
				fmt.Println("error:", err)
			}
		}
	}
}

// run executes one stdin command.
func run(ctx context.Context, srv *slackemu.Server, f []string, user, channel string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if len(f) >= 3 && f[0] == "as" {
		user, f = f[1], f[2:]
	}
	if len(f) == 0 {
		return nil
	}
	switch {
	case strings.HasPrefix(f[0], "/"):
		_, err := srv.SlashCommand(ctx, slackemu.SlashCommand{UserID: user, ChannelID: channel, Command: f[0], Text: strings.Join(f[1:], " ")})
		return err
	case f[0] == "click" && len(f) >= 3:
		if len(f) > 3 {
			user = f[3]
		}
		ms := srv.Messages(func(m slackemu.Message) bool { return m.TS == f[1] })
		if len(ms) == 0 {
			return fmt.Errorf("no message with ts %s", f[1])
		}
		_, err := srv.Click(ctx, ms[0], f[2], user)
		return err
	case f[0] == "submit" && len(f) >= 2:
		values := map[string]map[string]string{}
		for _, kv := range f[2:] {
			key, val, _ := strings.Cut(kv, "=")
			block, action, _ := strings.Cut(key, ".")
			if values[block] == nil {
				values[block] = map[string]string{}
			}
			values[block][action] = val
		}
		v, ok := srv.View(f[1])
		if !ok {
			return fmt.Errorf("no view %s", f[1])
		}
		_, err := srv.SubmitView(ctx, f[1], v.UserID, values)
		return err
	case f[0] == "disconnect":
		reason := "refresh_requested"
		if len(f) > 1 {
			reason = f[1]
		}
		srv.Disconnect(reason)
	case f[0] == "drop":
		srv.DropConnections()
	case f[0] == "status":
		fmt.Printf("connections open=%d opened=%d messages=%d views=%d acks=%d\n",
			srv.Connections(), srv.ConnectionsOpened(), len(srv.Messages(nil)), len(srv.Views()), len(srv.Acks()))
	default:
		fmt.Print(help)
	}
	return nil
}

// watch prints acks, message changes and views as they happen.
func watch(ctx context.Context, srv *slackemu.Server) {
	acks, views := 0, 0
	seen := map[string]int{} // channel/ts → versions printed
	for ctx.Err() == nil {
		for _, a := range srv.Acks()[acks:] {
			fmt.Printf("ack %s %s after %v late=%v %s %s\n", a.Type, a.EnvelopeID, a.Latency().Round(time.Millisecond), a.Late, a.Payload, a.Error)
			acks++
		}
		for _, m := range srv.Messages(nil) {
			k := m.Channel + "/" + m.TS
			if seen[k] == len(m.Versions) {
				continue
			}
			seen[k] = len(m.Versions)
			who := "everyone"
			if m.Ephemeral {
				who = "only " + m.User
			}
			fmt.Printf("message %s %s (%s, %s, v%d deleted=%v):\n  %s\n", m.Channel, m.TS, who, m.Source,
				len(m.Versions), m.Deleted, strings.ReplaceAll(m.RenderedText(), "\n", "\n  "))
			for _, b := range m.Buttons() {
				fmt.Printf("  [button %s %q value=%q]\n", b.ActionID, b.Text, b.Value)
			}
		}
		for _, v := range srv.Views()[views:] {
			fmt.Printf("view %s opened for %s: %q callback_id=%s\n  %s\n", v.ID, v.UserID, v.Title, v.CallbackID,
				strings.ReplaceAll(v.RenderedText(), "\n", "\n  "))
			views++
		}
		snapshot := len(srv.Acks()) + len(srv.Views())
		versions := 0
		for _, m := range srv.Messages(nil) {
			versions += len(m.Versions)
		}
		_ = srv.Wait(ctx, func() bool {
			n := 0
			for _, m := range srv.Messages(nil) {
				n += len(m.Versions)
			}
			return len(srv.Acks())+len(srv.Views()) != snapshot || n != versions
		})
	}
}
