package audit

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// memTable is a table in process memory, for MemoryLog and MemoryStore. One mutex makes
// every conditional write atomic, as DynamoDB's conditional writes are. Stored items are
// never modified in place (an update stores a changed copy), so an item handed out stays
// valid after the lock is released.
//
// Like DynamoDB's TTL sweep it deletes items whose ttl has passed, lazily: at most once a
// minute of the clock, on a write, so memory stays bounded by the retention periods.
type memTable struct {
	now func() time.Time

	mu        sync.Mutex
	items     map[string]item
	nextSweep time.Time
}

func newMemTable(now func() time.Time) *memTable {
	return &memTable{now: now, items: map[string]item{}}
}

// conditionLost is what DynamoDB returns when a condition fails and ALL_OLD was asked for.
func conditionLost(old item) error {
	return &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed"), Item: old}
}

func (m *memTable) create(ctx context.Context, it item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep()
	pk := stringAttr(it, attrPK)
	if _, ok := m.items[pk]; ok {
		return conditionLost(nil)
	}
	m.items[pk] = it
	return nil
}

func (m *memTable) put(ctx context.Context, it item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep()
	m.items[stringAttr(it, attrPK)] = it
	return nil
}

func (m *memTable) get(ctx context.Context, pk string) (item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.items[pk], nil
}

func (m *memTable) update(ctx context.Context, pk string, c change) (item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep()
	old, ok := m.items[pk]
	if !ok {
		return nil, conditionLost(nil)
	}
	if !c.holdsFor(old) {
		return nil, conditionLost(old)
	}
	next, err := c.applyTo(old)
	if err != nil {
		return nil, err
	}
	m.items[pk] = next
	return next, nil
}

// holdsFor reports whether every check of c holds for the stored item old.
func (c change) holdsFor(old item) bool {
	for _, k := range c.checks {
		if _, present := old[k.attr]; !present || !k.holds(stringAttr(old, k.attr)) {
			return false
		}
	}
	return true
}

// applyTo returns a changed copy of old; old itself is never modified.
func (c change) applyTo(old item) (item, error) {
	next := maps.Clone(old)
	for _, s := range c.sets {
		next[s.attr] = &types.AttributeValueMemberS{Value: s.value}
	}
	for _, attr := range c.bumps {
		n, isNumber := old[attr].(*types.AttributeValueMemberN)
		v, err := strconv.ParseInt(nValue(n, isNumber), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: incrementing %s: not a number", ErrInvalid, attr)
		}
		next[attr] = &types.AttributeValueMemberN{Value: strconv.FormatInt(v+1, 10)}
	}
	for _, attr := range c.removes {
		delete(next, attr)
	}
	return next, nil
}

func nValue(n *types.AttributeValueMemberN, ok bool) string {
	if !ok {
		return ""
	}
	return n.Value
}

// query answers like a DynamoDB index: items without the partition attribute are not in
// it, ties on the sort key are broken by pk, and the continuation key names the last
// item returned when more remain.
func (m *memTable) query(ctx context.Context, q indexQuery) ([]item, item, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	var found []item
	for _, it := range m.items {
		if stringAttr(it, q.pkAttr) != q.partition || q.partition == "" {
			continue
		}
		sk := stringAttr(it, q.skAttr)
		if sk == "" || (q.below != "" && sk >= q.below) || (q.below == "" && q.above != "" && sk <= q.above) ||
			(q.below == "" && q.above == "" && q.exact != "" && sk != q.exact) {
			continue
		}
		found = append(found, it)
	}
	m.mu.Unlock()

	order := func(a, b item) int {
		c := cmp.Or(cmp.Compare(stringAttr(a, q.skAttr), stringAttr(b, q.skAttr)), cmp.Compare(stringAttr(a, attrPK), stringAttr(b, attrPK)))
		if q.descending {
			return -c
		}
		return c
	}
	slices.SortFunc(found, order)
	if q.start != nil {
		i, _ := slices.BinarySearchFunc(found, q.start, order)
		if i < len(found) && order(found[i], q.start) == 0 {
			i++
		}
		found = found[i:]
	}
	if q.limit <= 0 || len(found) <= q.limit {
		return found, nil, nil
	}
	last := found[q.limit-1]
	return found[:q.limit], item{attrPK: last[attrPK], q.pkAttr: last[q.pkAttr], q.skAttr: last[q.skAttr]}, nil
}

// all returns every stored item, in no particular order.
func (m *memTable) all() []item {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Collect(maps.Values(m.items))
}

// delete removes the item pk at once, as someone with write access to the table
// could: the chain's contract tests tamper with the log through it.
func (m *memTable) delete(pk string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, pk)
}

// sweep deletes the items whose ttl has passed; the caller holds mu.
func (m *memTable) sweep() {
	now := m.now()
	if now.Before(m.nextSweep) {
		return
	}
	m.nextSweep = now.Add(time.Minute)
	for pk, it := range m.items {
		n, ok := it[attrTTL].(*types.AttributeValueMemberN)
		if !ok {
			continue
		}
		if secs, err := strconv.ParseInt(n.Value, 10, 64); err == nil && secs < now.Unix() {
			delete(m.items, pk)
		}
	}
}

// stringAttr returns the string attribute attr of it, or "".
func stringAttr(it item, attr string) string {
	if s, ok := it[attr].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}
