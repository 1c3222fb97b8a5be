package slackemu_test

import (
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// dialRaw opens a socket with a plain gorilla client, to test what slack-go
// never does (ignoring disconnects, reusing tickets, too many sockets).
func dialRaw(t *testing.T, srv *slackemu.Server) (*websocket.Conn, string) {
	t.Helper()
	_, url, err := srv.SlackClient().StartSocketModeContext(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	return dialURL(t, url), url
}

func dialURL(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func readFrame(t *testing.T, conn *websocket.Conn) map[string]any {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f map[string]any
	if err := conn.ReadJSON(&f); err != nil {
		t.Fatalf("read: %v", err)
	}
	return f
}

func TestTicketIsSingleUse(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	conn, url := dialRaw(t, srv)
	if f := readFrame(t, conn); f["type"] != "hello" {
		t.Errorf("first frame = %v", f)
	}
	if c, resp, err := websocket.DefaultDialer.Dial(url, nil); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		if c != nil {
			c.Close()
		}
		t.Errorf("second dial of the same URL = %v, want 401", err)
	}
}

func TestDisconnectGraceClosesIgnoringClient(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{DisconnectGrace: 50 * time.Millisecond, PingInterval: 10 * time.Millisecond})
	conn, _ := dialRaw(t, srv)
	readFrame(t, conn) // hello
	srv.Disconnect("warning")
	if f := readFrame(t, conn); f["type"] != "disconnect" || f["reason"] != "warning" {
		t.Errorf("frame = %v, want disconnect warning", f)
	}
	// Keep reading (and ponging) as a client that ignores the disconnect would.
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := conn.ReadMessage(); err == nil {
		t.Error("socket still open after the grace period")
	}
	if err := srv.Wait(testCtx(t), func() bool { return srv.Connections() == 0 }); err != nil {
		t.Fatal(err)
	}
}

func TestTooManyWebsockets(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{MaxConnections: 1})
	first, _ := dialRaw(t, srv)
	readFrame(t, first)
	second, _ := dialRaw(t, srv)
	if f := readFrame(t, second); f["type"] != "disconnect" || f["reason"] != "too_many_websockets" {
		t.Errorf("second socket got %v, want too_many_websockets", f)
	}
	if err := srv.Wait(testCtx(t), func() bool { return srv.Connections() == 1 }); err != nil {
		t.Fatal(err)
	}
}

func TestAckRecordsPayloadAndTiming(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	conn, _ := dialRaw(t, srv)
	readFrame(t, conn)
	d := slash(t, srv, "lookup alice")
	env := readFrame(t, conn)
	if env["envelope_id"] != d.EnvelopeID || env["type"] != "slash_commands" || env["accepts_response_payload"] != true {
		t.Errorf("envelope = %v", env)
	}
	payload, _ := env["payload"].(map[string]any)
	if payload["is_enterprise_install"] != "false" {
		t.Errorf("is_enterprise_install = %#v, want the string Socket Mode sends", payload["is_enterprise_install"])
	}
	ack, _ := json.Marshal(map[string]any{"envelope_id": d.EnvelopeID, "payload": map[string]any{"text": "hi"}})
	if err := conn.WriteMessage(websocket.TextMessage, ack); err != nil {
		t.Fatal(err)
	}
	_ = conn.WriteMessage(websocket.TextMessage, ack) // a duplicate is recorded but ignored
	acks, err := srv.WaitAcks(testCtx(t), d.EnvelopeID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if string(acks[0].Payload) != `{"text":"hi"}` || acks[0].Received.Before(acks[0].Sent) || acks[0].Duplicate || !acks[1].Duplicate {
		t.Errorf("acks = %+v", acks)
	}
	if n := len(srv.Visible("C1", "U1")); n != 1 {
		t.Errorf("user sees %d replies, want 1", n)
	}
}

func TestCloseStopsEmulatorGoroutines(t *testing.T) {
	t.Parallel()
	srv := slackemu.New(slackemu.Options{PingInterval: 10 * time.Millisecond})
	_, url, err := srv.SlackClient().StartSocketModeContext(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	conn := dialURL(t, url)
	readFrame(t, conn)
	srv.Close()
	// Goroutines of servers closed by earlier tests may still be on their way out;
	// give every one a moment, then none may be left.
	var stacks string
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		buf := make([]byte, 1<<20)
		stacks = string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "slackemu.(*Server)") || time.Now().After(deadline) {
			break
		}
	}
	if strings.Contains(stacks, "slackemu.(*Server)") {
		t.Errorf("emulator goroutines left after Close:\n%s", stacks)
	}
}
