package slackemu_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestConnectGetsHello(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)

	b.next(t, socketmode.EventTypeConnected)
	hello := b.next(t, socketmode.EventTypeHello)
	if hello.Request.NumConnections != 1 {
		t.Errorf("hello num_connections = %d, want 1", hello.Request.NumConnections)
	}
	if hello.Request.ConnectionInfo.AppID == "" {
		t.Errorf("hello has no connection_info.app_id")
	}
	if err := srv.WaitConnections(testCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("apps.connections.open"); len(got) != 1 {
		t.Errorf("apps.connections.open called %d times, want 1", len(got))
	}
}

// Pings keep slack-go's dead-man timer happy: the client drops a socket that
// got no PING for clientGivesUpAfter, checking once per that interval; the
// emulator pings ten times as often. The test waits until the client has
// answered pings for one and a half of its intervals (past its first check)
// without reconnecting; a client that gave up reconnects at its first check
// and ends the wait early.
func TestPingsKeepConnectionAlive(t *testing.T) {
	t.Parallel()
	const (
		clientGivesUpAfter = 100 * time.Millisecond
		pingEvery          = clientGivesUpAfter / 10
		answered           = 15 // pongs spanning 1.5 client intervals
	)
	srv := newServer(t, slackemu.Options{PingInterval: pingEvery})
	startBotWith(t, srv.SlackClient(), ackEmpty, socketmode.OptionPingInterval(clientGivesUpAfter))
	err := srv.Wait(testCtx(t), func() bool { return srv.Pongs() >= answered || srv.ConnectionsOpened() > 1 })
	if err != nil {
		t.Fatalf("client answered %d pings on %d sockets: %v", srv.Pongs(), srv.ConnectionsOpened(), err)
	}
	if n := srv.ConnectionsOpened(); n != 1 {
		t.Errorf("connections opened = %d after %d pongs, want 1 (client reconnected: missing pings?)", n, srv.Pongs())
	}
}

func TestDisconnectRefreshRequestedReconnects(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	ctx := testCtx(t)
	if err := srv.WaitConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}

	srv.Disconnect("refresh_requested")
	if err := srv.Wait(ctx, func() bool { return srv.ConnectionsOpened() == 2 && srv.Connections() == 1 }); err != nil {
		t.Fatalf("no reconnect after disconnect: opened=%d open=%d", srv.ConnectionsOpened(), srv.Connections())
	}
	d := slash(t, srv, "lookup alice")
	if got := b.next(t, socketmode.EventTypeSlashCommand); got.Request.EnvelopeID != d.EnvelopeID {
		t.Errorf("got envelope %s, want %s", got.Request.EnvelopeID, d.EnvelopeID)
	}
	mustAck(t, srv, d)
	if got := srv.Calls("apps.connections.open"); len(got) != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", len(got))
	}
}

func TestDropConnectionsReconnects(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	ctx := testCtx(t)
	if err := srv.WaitConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	srv.DropConnections()
	if err := srv.Wait(ctx, func() bool { return srv.ConnectionsOpened() >= 2 && srv.Connections() == 1 }); err != nil {
		t.Fatal("no reconnect after dropped connection")
	}
	d := slash(t, srv, "help")
	b.next(t, socketmode.EventTypeSlashCommand)
	mustAck(t, srv, d)
}

// A failed apps.connections.open is one slack-go retries: the client reports
// the error, backs off (100 ms for its first retry) and connects. One fault
// proves it; TestInjectedFaultsLastTheirCount covers counts above one.
func TestConnectionsOpenFailureIsRetried(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	srv.InjectFault("apps.connections.open", 1, slackemu.Fault{Error: "internal_error"})
	b := startBot(t, srv, ackEmpty)
	failed := b.next(t, socketmode.EventTypeConnectionError)
	if ce, ok := failed.Data.(*slack.ConnectionErrorEvent); !ok || slackErr(ce.ErrorObj) != "internal_error" {
		t.Errorf("connection error event = %+v, want internal_error", failed.Data)
	}
	b.next(t, socketmode.EventTypeHello)
	if got := srv.Calls("apps.connections.open"); len(got) != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", len(got))
	}
}

func TestEnvelopesSpreadOverConnections(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	var mu sync.Mutex
	perBot := map[string]int{}
	count := func(name string) handler {
		return func(c *socketmode.Client, evt socketmode.Event) {
			mu.Lock()
			perBot[name]++
			mu.Unlock()
			_ = c.Ack(*evt.Request)
		}
	}
	startBot(t, srv, count("a"))
	startBot(t, srv, count("b"))
	ctx := testCtx(t)
	if err := srv.WaitConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}
	conns := map[int]bool{}
	for range 6 {
		d := slash(t, srv, "lookup alice")
		conns[d.Connection] = true
		mustAck(t, srv, d)
	}
	mu.Lock()
	defer mu.Unlock()
	if perBot["a"] != 3 || perBot["b"] != 3 || len(conns) != 2 {
		t.Errorf("deliveries per bot = %v over %d sockets, want 3 each over 2", perBot, len(conns))
	}
}

func TestRedeliverSendsSameEnvelope(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	d := slash(t, srv, "disable alice")
	first := b.next(t, socketmode.EventTypeSlashCommand)
	mustAck(t, srv, d)

	d2, err := srv.Redeliver(testCtx(t), d)
	if err != nil {
		t.Fatal(err)
	}
	second := b.next(t, socketmode.EventTypeSlashCommand)
	if second.Request.EnvelopeID != first.Request.EnvelopeID || d2.EnvelopeID != d.EnvelopeID {
		t.Errorf("redelivery envelope %s, want %s", second.Request.EnvelopeID, first.Request.EnvelopeID)
	}
	if second.Request.RetryAttempt != 1 || second.Request.RetryReason != "timeout" {
		t.Errorf("redelivery retry = %d %q, want 1 timeout", second.Request.RetryAttempt, second.Request.RetryReason)
	}
	if string(second.Request.Payload) != string(first.Request.Payload) {
		t.Errorf("redelivered payload differs")
	}
	acks, err := srv.WaitAcks(testCtx(t), d.EnvelopeID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if acks[1].Attempt != 1 || acks[1].Duplicate {
		t.Errorf("second ack = %+v, want attempt 1, not duplicate", acks[1])
	}
}

func TestLateAckShowsTimeoutError(t *testing.T) {
	t.Parallel()
	const ackTimeout = 20 * time.Millisecond
	srv := newServer(t, slackemu.Options{AckTimeout: ackTimeout})
	ctx := testCtx(t)
	startBot(t, srv, func(c *socketmode.Client, evt socketmode.Event) {
		// Slow work before acking, the classic bug: this bot acks only once
		// Slack has given up and shown the user something.
		_ = srv.Wait(ctx, func() bool { return len(srv.Visible("C1", "U1")) > 0 })
		_ = c.Ack(*evt.Request, map[string]any{"text": "too late"})
	})
	d := slash(t, srv, "lookup alice")
	a := mustAck(t, srv, d)
	if !a.Late || a.Latency() <= ackTimeout {
		t.Errorf("ack late=%v latency=%v, want late", a.Late, a.Latency())
	}
	// The user sees Slack's timeout error, not the bot's reply.
	ms := srv.Visible("C1", "U1")
	if len(ms) != 1 || ms[0].Author != slackemu.SlackbotUserID || ms[0].Text != `/cognito failed with the error "operation_timeout"` {
		t.Errorf("user sees %+v, want only the operation_timeout error", ms)
	}
}

func TestBadAppTokenIsFatal(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	sm := socketmode.New(slack.New(srv.BotToken(), slack.OptionAppLevelToken("xapp-wrong"), slack.OptionAPIURL(srv.APIURL())))
	ctx := testCtx(t)
	go func() {
		for {
			select {
			case <-sm.Events:
			case <-ctx.Done():
				return
			}
		}
	}()
	err := sm.RunContext(ctx)
	if slackErr(err) != "invalid_auth" {
		t.Errorf("RunContext with wrong app token = %v, want invalid_auth", err)
	}

	// The bot token is the wrong kind of token for apps.connections.open.
	_, _, err = slack.New(srv.BotToken(), slack.OptionAppLevelToken(srv.BotToken()), slack.OptionAPIURL(srv.APIURL())).
		StartSocketModeContext(ctx)
	if slackErr(err) != "not_allowed_token_type" {
		t.Errorf("apps.connections.open with bot token = %v, want not_allowed_token_type", err)
	}
}

func TestDeliverWaitsForConnection(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := srv.SlashCommand(ctx, slackemu.SlashCommand{UserID: "U1", ChannelID: "C1", Command: "/cognito"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("SlashCommand with no socket = %v, want deadline exceeded", err)
	}
}

func TestDeliverEventsAPI(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	payload := json.RawMessage(`{"type":"event_callback","event_id":"Ev1","event_time":1,"team_id":"T0EMULATOR",
		"event":{"type":"app_mention","user":"U1","text":"<@U0BOT> hi","ts":"1.000001","channel":"C1","event_ts":"1.000001"}}`)
	d, err := srv.Deliver(testCtx(t), slackemu.TypeEventsAPI, payload, false)
	if err != nil {
		t.Fatal(err)
	}
	evt := b.next(t, socketmode.EventTypeEventsAPI)
	if evt.Request.EnvelopeID != d.EnvelopeID {
		t.Errorf("events_api envelope %s, want %s", evt.Request.EnvelopeID, d.EnvelopeID)
	}
	mustAck(t, srv, d)
}
