package chain

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// MergedWalk reads every chain at once in chain-time order (oldest first, or newest
// first when descending), holding one page per chain: the order export and search
// need, in memory that does not grow with the log.
type MergedWalk struct {
	Walks      []*Walk
	descending bool
}

// NewMergedWalk walks all chains between the exclusive chain sort key bounds after
// and before ("" for none). positions, when given, overrides before per chain for a
// descending walk that resumes (see searchCursor).
func NewMergedWalk(t table.Table, descending bool, after, before string, positions []string) *MergedWalk {
	m := &MergedWalk{descending: descending}
	for shard := range ChainShards {
		b := before
		if shard < len(positions) && positions[shard] != "" {
			b = positions[shard]
		}
		w := NewWalk(t, shard, descending, after, b)
		w.done = b == Done
		m.Walks = append(m.Walks, w)
	}
	return m
}

// Next returns the next link of any chain and its chain, or nil at the end.
func (m *MergedWalk) Next(ctx context.Context) (table.Item, int, error) {
	best, bestSK := -1, ""
	for i, w := range m.Walks {
		it, err := w.Peek(ctx)
		if err != nil {
			return nil, 0, err
		}
		if it == nil {
			continue
		}
		sk := table.StringAttr(it, table.AttrChainSK)
		if best < 0 || (!m.descending && sk < bestSK) || (m.descending && sk > bestSK) {
			best, bestSK = i, sk
		}
	}
	if best < 0 {
		return nil, 0, nil
	}
	it, err := m.Walks[best].Next(ctx)
	return it, best, err
}

// Done is a walk position (a search cursor's, for one chain) meaning the chain
// has nothing left.
const Done = "-"
