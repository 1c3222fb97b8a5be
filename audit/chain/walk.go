package chain

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// walkPage is how many links a chain walk reads per query; a walk holds one page
// per chain, so its memory does not grow with the log.
const walkPage = 100

// Walk reads one chain's links in order, a page at a time.
type Walk struct {
	t          table.Table
	shard      int
	descending bool
	// after and before bound the chain sort keys read (exclusive; "" for none).
	after, Before string

	buf   []table.Item
	start table.Item
	done  bool
}

// NewWalk reads chain shard between the exclusive chain sort key bounds after and
// before ("" for none), oldest first or, descending, newest first.
func NewWalk(t table.Table, shard int, descending bool, after, before string) *Walk {
	return &Walk{t: t, shard: shard, descending: descending, after: after, Before: before}
}

// Next returns the next link, or nil at the end of the chain.
func (w *Walk) Next(ctx context.Context) (table.Item, error) {
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

// Peek returns the next link without taking it, or nil at the end.
func (w *Walk) Peek(ctx context.Context) (table.Item, error) {
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

// Page takes every link already read (reading a page first when none is), so a
// caller can batch per page; nil at the end.
func (w *Walk) Page(ctx context.Context) ([]table.Item, error) {
	if _, err := w.Peek(ctx); err != nil {
		return nil, err
	}
	p := w.buf
	w.buf = nil
	return p, nil
}

func (w *Walk) fill(ctx context.Context) error {
	q := table.IndexQuery{
		Index: table.IndexByChain, PKAttr: table.AttrChainPK, SKAttr: table.AttrChainSK, Partition: Partition(w.shard),
		Descending: w.descending, Limit: walkPage, Start: w.start,
	}
	// The table offers one bound per query; the other is applied here.
	if w.descending {
		q.Below = w.Before
	} else {
		q.Above = w.after
	}
	items, last, err := w.t.Query(ctx, q)
	if err != nil {
		return table.Unavailable(err)
	}
	for _, it := range items {
		sk := table.StringAttr(it, table.AttrChainSK)
		if (!w.descending && w.Before != "" && sk >= w.Before) || (w.descending && w.after != "" && sk <= w.after) {
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
