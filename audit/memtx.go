package audit

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// transact checks every op under the lock and applies them all, or answers as
// DynamoDB does: a cancelled transaction with one reason per op.
func (m *memTable) transact(ctx context.Context, ops []txOp) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep()
	reasons := make([]types.CancellationReason, len(ops))
	next := make([]item, len(ops))
	failed := false
	for i, op := range ops {
		reasons[i].Code = aws.String(codeNone)
		if op.create != nil {
			if old, ok := m.items[stringAttr(op.create, attrPK)]; ok {
				reasons[i] = types.CancellationReason{Code: aws.String(codeConditionalFailed), Item: old}
				failed = true
			}
			next[i] = op.create
			continue
		}
		old, ok := m.items[op.pk]
		if !ok || !op.change.holdsFor(old) {
			reasons[i] = types.CancellationReason{Code: aws.String(codeConditionalFailed), Item: old}
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
			pk = stringAttr(op.create, attrPK)
		}
		m.items[pk] = next[i]
	}
	return nil
}

func (m *memTable) batchGet(ctx context.Context, pks []string) (map[string]item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]item, len(pks))
	for _, pk := range pks {
		if it, ok := m.items[pk]; ok {
			out[pk] = it
		}
	}
	return out, nil
}

// scan pages through the items in pk order (DynamoDB's order is its own; callers
// must not rely on any).
func (m *memTable) scan(ctx context.Context, p scanPage) ([]item, item, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	pks := slices.Sorted(maps.Keys(m.items))
	after := stringAttr(p.start, attrPK)
	var page []item
	var last item
	for _, pk := range pks {
		if after != "" && cmp.Compare(pk, after) <= 0 {
			continue
		}
		if p.limit > 0 && len(page) == p.limit {
			last = item{attrPK: page[len(page)-1][attrPK]}
			break
		}
		if strings.HasPrefix(pk, p.prefix) {
			page = append(page, m.items[pk])
		}
	}
	m.mu.Unlock()
	return page, last, nil
}
