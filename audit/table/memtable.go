package table

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

// Memory is a table in process memory, for MemoryLog and MemoryStore. One mutex makes
// every conditional write atomic, as DynamoDB's conditional writes are. Stored items are
// never modified in place (an update stores a changed copy), so an item handed out stays
// valid after the lock is released.
//
// Like DynamoDB's TTL sweep it deletes items whose ttl has passed, lazily: at most once a
// minute of the clock, on a write, so memory stays bounded by the retention periods.
type Memory struct {
	now func() time.Time

	mu        sync.Mutex
	items     map[string]Item
	nextSweep time.Time
}

// NewMemory returns an empty in-memory table; now is the clock its TTL sweep goes by.
func NewMemory(now func() time.Time) *Memory {
	return &Memory{now: now, items: map[string]Item{}}
}

// ConditionLost is what DynamoDB returns when a condition fails and ALL_OLD was asked for.
func ConditionLost(old Item) error {
	return &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed"), Item: old}
}

// Create writes it unless an item with the same pk exists.
func (m *Memory) Create(ctx context.Context, it Item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Sweep()
	pk := StringAttr(it, AttrPK)
	if _, ok := m.items[pk]; ok {
		return ConditionLost(nil)
	}
	m.items[pk] = it
	return nil
}

// Put writes it, replacing any item with the same pk.
func (m *Memory) Put(ctx context.Context, it Item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Sweep()
	m.items[StringAttr(it, AttrPK)] = it
	return nil
}

// Get reads the item pk; nil when there is none or its ttl has passed.
func (m *Memory) Get(ctx context.Context, pk string) (Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.items[pk], nil
}

// Update applies c to the existing item pk when all its checks hold (see Table.Update).
func (m *Memory) Update(ctx context.Context, pk string, c Change) (Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Sweep()
	old, ok := m.items[pk]
	if !ok {
		return nil, ConditionLost(nil)
	}
	if !c.holdsFor(old) {
		return nil, ConditionLost(old)
	}
	next, err := c.applyTo(old)
	if err != nil {
		return nil, err
	}
	m.items[pk] = next
	return next, nil
}

// holdsFor reports whether every check of c holds for the stored item old.
func (c Change) holdsFor(old Item) bool {
	for _, k := range c.checks {
		if _, present := old[k.attr]; !present || !k.holds(StringAttr(old, k.attr)) {
			return false
		}
	}
	return true
}

// applyTo returns a changed copy of old; old itself is never modified.
func (c Change) applyTo(old Item) (Item, error) {
	next := maps.Clone(old)
	for _, s := range c.sets {
		if s.number {
			next[s.attr] = &types.AttributeValueMemberN{Value: s.value}
			continue
		}
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

// Query answers like a DynamoDB index: items without the partition attribute are not in
// it, ties on the sort key are broken by pk, and the continuation key names the last
// item returned when more remain.
func (m *Memory) Query(ctx context.Context, q IndexQuery) ([]Item, Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	var found []Item
	for _, it := range m.items {
		if StringAttr(it, q.PKAttr) != q.Partition || q.Partition == "" {
			continue
		}
		sk := StringAttr(it, q.SKAttr)
		if sk == "" || (q.Below != "" && sk >= q.Below) || (q.Below == "" && q.Above != "" && sk <= q.Above) ||
			(q.Below == "" && q.Above == "" && q.Exact != "" && sk != q.Exact) {
			continue
		}
		found = append(found, it)
	}
	m.mu.Unlock()

	order := func(a, b Item) int {
		c := cmp.Or(cmp.Compare(StringAttr(a, q.SKAttr), StringAttr(b, q.SKAttr)), cmp.Compare(StringAttr(a, AttrPK), StringAttr(b, AttrPK)))
		if q.Descending {
			return -c
		}
		return c
	}
	slices.SortFunc(found, order)
	if q.Start != nil {
		i, _ := slices.BinarySearchFunc(found, q.Start, order)
		if i < len(found) && order(found[i], q.Start) == 0 {
			i++
		}
		found = found[i:]
	}
	if q.Limit <= 0 || len(found) <= q.Limit {
		return found, nil, nil
	}
	last := found[q.Limit-1]
	return found[:q.Limit], Item{AttrPK: last[AttrPK], q.PKAttr: last[q.PKAttr], q.SKAttr: last[q.SKAttr]}, nil
}

// All returns every stored item, in no particular order.
func (m *Memory) All() []Item {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Collect(maps.Values(m.items))
}

// Delete removes the item pk at once, as someone with write access to the table
// could: the chain's contract tests tamper with the log through it.
func (m *Memory) Delete(pk string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, pk)
}

// Sweep deletes the items whose ttl has passed; the caller holds mu.
func (m *Memory) Sweep() {
	now := m.now()
	if now.Before(m.nextSweep) {
		return
	}
	m.nextSweep = now.Add(time.Minute)
	for pk, it := range m.items {
		n, ok := it[AttrTTL].(*types.AttributeValueMemberN)
		if !ok {
			continue
		}
		if secs, err := strconv.ParseInt(n.Value, 10, 64); err == nil && secs < now.Unix() {
			delete(m.items, pk)
		}
	}
}

// StringAttr returns the string attribute attr of it, or "".
func StringAttr(it Item, attr string) string {
	if s, ok := it[attr].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}
