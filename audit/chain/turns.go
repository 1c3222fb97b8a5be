package chain

import (
	"context"
	"sync"
)

// turns lets one append at a time of this process extend each chain. Two
// writers of one process appending to the same chain at once would only
// collide at DynamoDB: one transaction loses the head (or both are cancelled
// as conflicting), backs off and sends again. Waiting for their turn here
// costs the loser one transaction's time instead of several, and leaves
// DynamoDB's conditions to settle only what other replicas write.
type turns struct {
	once sync.Once
	by   [ChainShards]chan struct{}
}

// take waits for chain shard's turn, or for ctx to end; release gives it back.
// A shard outside the chains (read from a damaged item) takes no turn: its
// transaction's conditions still decide.
func (t *turns) take(ctx context.Context, shard int) (release func(), err error) {
	if shard < 0 || shard >= ChainShards {
		return func() {}, nil
	}
	t.once.Do(func() {
		for i := range t.by {
			t.by[i] = make(chan struct{}, 1)
		}
	})
	turn := t.by[shard]
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
