package slackemu_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// newServer starts an emulator with fast pings and stops it after the test.
func newServer(t *testing.T, opts slackemu.Options) *slackemu.Server {
	t.Helper()
	if opts.PingInterval == 0 {
		opts.PingInterval = 100 * time.Millisecond
	}
	opts.Logf = t.Logf
	srv := slackemu.New(opts)
	t.Cleanup(srv.Close)
	return srv
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// handler is what the fake bot does with each request; it must ack.
type handler func(c *socketmode.Client, evt socketmode.Event)

// ackEmpty acks every request with no payload.
func ackEmpty(c *socketmode.Client, evt socketmode.Event) { _ = c.Ack(*evt.Request) }

// bot is slack-go's real socketmode client connected to the emulator.
type bot struct {
	*socketmode.Client
	events chan socketmode.Event
	done   chan error
}

// startBot runs a socketmode client until the test ends, draining Events
// continuously (pitfall 4) and passing requests to h.
func startBot(t *testing.T, srv *slackemu.Server, h handler, opts ...slack.Option) *bot {
	t.Helper()
	return startBotWith(t, srv.SlackClient(opts...), h)
}

func startBotWith(t *testing.T, api *slack.Client, h handler, opts ...socketmode.Option) *bot {
	t.Helper()
	b := &bot{
		Client: socketmode.New(api, opts...),
		events: make(chan socketmode.Event, 1000),
		done:   make(chan error, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-b.Events:
				if evt.Request != nil && evt.Request.EnvelopeID != "" && h != nil {
					h(b.Client, evt)
				}
				select {
				case b.events <- evt:
				default:
					t.Errorf("bot event buffer full")
				}
			}
		}
	}()
	go func() { b.done <- b.RunContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-drained
		select {
		case err := <-b.done:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("RunContext: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("socketmode client did not stop")
		}
	})
	return b
}

// next returns the next event of type typ, skipping others.
func (b *bot) next(t *testing.T, typ socketmode.EventType) socketmode.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case evt := <-b.events:
			if evt.Type == typ {
				return evt
			}
		case <-timeout:
			t.Fatalf("no %s event within 10 s", typ)
		}
	}
}

// slash injects "/cognito <text>" from U1 in C1.
func slash(t *testing.T, srv *slackemu.Server, text string) *slackemu.Delivery {
	t.Helper()
	d, err := srv.SlashCommand(testCtx(t), slackemu.SlashCommand{
		UserID: "U1", ChannelID: "C1", Command: "/cognito", Text: text,
	})
	if err != nil {
		t.Fatalf("SlashCommand: %v", err)
	}
	return d
}

func mustAck(t *testing.T, srv *slackemu.Server, d *slackemu.Delivery) slackemu.Ack {
	t.Helper()
	a, err := srv.WaitAck(testCtx(t), d.EnvelopeID)
	if err != nil {
		t.Fatalf("WaitAck(%s): %v", d.EnvelopeID, err)
	}
	return a
}

// confirmBlocks is a message with a section and Confirm/Cancel buttons.
func confirmBlocks(value string) []slack.Block {
	return []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "Disable *alice*?", false, true), nil, nil),
		slack.NewActionBlock("confirm_block",
			slack.NewButtonBlockElement("confirm_disable", value, slack.NewTextBlockObject(slack.PlainTextType, "Confirm", false, false)).WithStyle(slack.StyleDanger),
			slack.NewButtonBlockElement("cancel", "", slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false)),
		),
	}
}

func slackErr(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	if err != nil {
		return err.Error()
	}
	return ""
}
