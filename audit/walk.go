package audit

import (
	"context"
)

// walkPage is how many links a chain walk reads per query; a walk holds one page
// per chain, so its memory does not grow with the log.
const walkPage = 100

// chainWalk reads one chain's links in order, a page at a time.
type chainWalk struct {
	t          table
	shard      int
	descending bool
	// after and before bound the chain sort keys read (exclusive; "" for none).
	after, before string

	buf   []item
	start item
	done  bool
}

func newChainWalk(t table, shard int, descending bool, after, before string) *chainWalk {
	return &chainWalk{t: t, shard: shard, descending: descending, after: after, before: before}
}

// next returns the next link, or nil at the end of the chain.
func (w *chainWalk) next(ctx context.Context) (item, error) {
	for len(w.buf) == 0 {
		if w.done {
			return nil, nil
		}
		if err := w.fill(ctx); err != nil {
			return nil, err
		}
	}
	it := w.buf[0]
	w.buf = w.buf[1:]
	return it, nil
}

// peek returns the next link without taking it, or nil at the end.
func (w *chainWalk) peek(ctx context.Context) (item, error) {
	for len(w.buf) == 0 {
		if w.done {
			return nil, nil
		}
		if err := w.fill(ctx); err != nil {
			return nil, err
		}
	}
	return w.buf[0], nil
}

// page takes every link already read (reading a page first when none is), so a
// caller can batch per page; nil at the end.
func (w *chainWalk) page(ctx context.Context) ([]item, error) {
	if _, err := w.peek(ctx); err != nil {
		return nil, err
	}
	p := w.buf
	w.buf = nil
	return p, nil
}

func (w *chainWalk) fill(ctx context.Context) error {
	q := indexQuery{
		index: indexByChain, pkAttr: attrChainPK, skAttr: attrChainSK, partition: chainPartition(w.shard),
		descending: w.descending, limit: walkPage, start: w.start,
	}
	// The table offers one bound per query; the other is applied here.
	if w.descending {
		q.below = w.before
	} else {
		q.above = w.after
	}
	items, last, err := w.t.query(ctx, q)
	if err != nil {
		return unavailable(err)
	}
	for _, it := range items {
		sk := stringAttr(it, attrChainSK)
		if (!w.descending && w.before != "" && sk >= w.before) || (w.descending && w.after != "" && sk <= w.after) {
			w.done = true
			break
		}
		w.buf = append(w.buf, it)
	}
	w.start = last
	if len(last) == 0 {
		w.done = true
	}
	return nil
}
