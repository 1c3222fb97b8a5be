package audit

import "context"

// mergedWalk reads every chain at once in chain-time order (oldest first, or newest
// first when descending), holding one page per chain: the order export and search
// need, in memory that does not grow with the log.
type mergedWalk struct {
	walks      []*chainWalk
	descending bool
}

// newMergedWalk walks all chains between the exclusive chain sort key bounds after
// and before ("" for none). positions, when given, overrides before per chain for a
// descending walk that resumes (see searchCursor).
func newMergedWalk(t table, descending bool, after, before string, positions []string) *mergedWalk {
	m := &mergedWalk{descending: descending}
	for shard := range ChainShards {
		b := before
		if shard < len(positions) && positions[shard] != "" {
			b = positions[shard]
		}
		w := newChainWalk(t, shard, descending, after, b)
		w.done = b == chainDone
		m.walks = append(m.walks, w)
	}
	return m
}

// next returns the next link of any chain and its chain, or nil at the end.
func (m *mergedWalk) next(ctx context.Context) (item, int, error) {
	best, bestSK := -1, ""
	for i, w := range m.walks {
		it, err := w.peek(ctx)
		if err != nil {
			return nil, 0, err
		}
		if it == nil {
			continue
		}
		sk := stringAttr(it, attrChainSK)
		if best < 0 || (!m.descending && sk < bestSK) || (m.descending && sk > bestSK) {
			best, bestSK = i, sk
		}
	}
	if best < 0 {
		return nil, 0, nil
	}
	it, err := m.walks[best].next(ctx)
	return it, best, err
}
