package table

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Transact checks every op under the lock and applies them all, or answers as
// DynamoDB does: a cancelled transaction with one reason per op.
func (m *Memory) Transact(ctx context.Context, ops []TxOp) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Sweep()
	reasons := make([]types.CancellationReason, len(ops))
	next := make([]Item, len(ops))
	failed := false
	for i, op := range ops {
		reasons[i].Code = aws.String(codeNone)
		if op.create != nil {
			if old, ok := m.items[StringAttr(op.create, AttrPK)]; ok {
				reasons[i] = types.CancellationReason{Code: aws.String(CodeConditionalFailed), Item: old}
				failed = true
			}
			next[i] = op.create
			continue
		}
		old, ok := m.items[op.pk]
		if !ok || !op.change.holdsFor(old) {
			reasons[i] = types.CancellationReason{Code: aws.String(CodeConditionalFailed), Item: old}
			failed = true
			continue
		}
		it, err := op.change.applyTo(old)
		if err != nil {
			return err
		}
		next[i] = it
	}
	if failed {
		return transactionLost(reasons)
	}
	for i, op := range ops {
		pk := op.pk
		if op.create != nil {
			pk = StringAttr(op.create, AttrPK)
		}
		m.items[pk] = next[i]
	}
	return nil
}

// BatchGet reads the items pks, keyed by pk (see Table.BatchGet).
func (m *Memory) BatchGet(ctx context.Context, pks []string) (map[string]Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]Item, len(pks))
	for _, pk := range pks {
		if it, ok := m.items[pk]; ok {
			out[pk] = it
		}
	}
	return out, nil
}

// Scan pages through the items in pk order (DynamoDB's order is its own; callers
// must not rely on any).
func (m *Memory) Scan(ctx context.Context, p ScanPage) ([]Item, Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	pks := slices.Sorted(maps.Keys(m.items))
	after := StringAttr(p.Start, AttrPK)
	var page []Item
	var last Item
	for _, pk := range pks {
		if after != "" && cmp.Compare(pk, after) <= 0 {
			continue
		}
		if p.Limit > 0 && len(page) == p.Limit {
			last = Item{AttrPK: page[len(page)-1][AttrPK]}
			break
		}
		if strings.HasPrefix(pk, p.Prefix) {
			page = append(page, m.items[pk])
		}
	}
	m.mu.Unlock()
	return page, last, nil
}
