package bot_test

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// gate holds the bots' Cognito calls until the test opens it, so a test can
// look at the bot in the middle of long work (a check still running, a job
// part-way) however fast or slow the machine is, instead of racing a rate
// limit. The first free calls go through at once; the rest wait for Open or
// their context. A test opens it (defer g.Open()) before the harness stops.
type gate struct {
	free   int64
	calls  atomic.Int64
	opened chan struct{}
	once   sync.Once
}

func newGate(free int) *gate { return &gate{free: int64(free), opened: make(chan struct{})} }

// Open lets every held and later call through.
func (g *gate) Open() { g.once.Do(func() { close(g.opened) }) }

// pass returns when the call may go on.
func (g *gate) pass(ctx context.Context) error {
	if g.calls.Add(1) <= g.free {
		return nil
	}
	select {
	case <-g.opened:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// heldReads is a directory whose user reads wait at a gate.
type heldReads struct {
	pipeline.Directory
	g *gate
}

func (d heldReads) GetUser(ctx context.Context, pool, username string) (*cognito.User, error) {
	if err := d.g.pass(ctx); err != nil {
		return nil, err
	}
	return d.Directory.GetUser(ctx, pool, username)
}

// heldDisables is a directory whose disables wait at a gate.
type heldDisables struct {
	pipeline.Directory
	g *gate
}

func (d heldDisables) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	if err := d.g.pass(ctx); err != nil {
		return cognito.Result{}, err
	}
	return d.Directory.DisableUser(ctx, pool, username)
}
