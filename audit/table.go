package audit

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// item is one stored record in DynamoDB's attribute-value form. Both backends store and
// exchange items in this form, so marshalling, redaction and truncation happen once,
// above the storage, and the two backends cannot drift apart on what an entry holds.
type item = map[string]types.AttributeValue

// table is the storage a Log or Store runs on: DynamoDB (dynamoTable) or process memory
// (memTable). It offers only the few operations this package needs, in a structured form
// both can carry out, so which write wins and what a listing returns is decided above it.
//
// Failures look the same from both: a lost condition is a
// *types.ConditionalCheckFailedException whose Item is the old item (nil when there was
// none); anything else is returned as is, for the caller to report as ErrUnavailable.
type table interface {
	// create writes it unless an item with the same pk exists.
	create(ctx context.Context, it item) error
	// put writes it, replacing any item with the same pk.
	put(ctx context.Context, it item) error
	// get reads the item with the given pk, strongly consistent; nil when there is none.
	get(ctx context.Context, pk string) (item, error)
	// update applies c to the existing item with the given pk when all its checks hold,
	// and returns the item as written.
	update(ctx context.Context, pk string, c change) (item, error)
	// query reads one partition of a global secondary index in sort-key order. The
	// second result is where to continue (nil when the partition is exhausted).
	query(ctx context.Context, q indexQuery) ([]item, item, error)
	// transact applies every op or none. When any condition fails it returns a
	// *types.TransactionCanceledException with one reason per op (the old item
	// with a failed condition).
	transact(ctx context.Context, ops []txOp) error
	// batchGet reads the items with the given pks (at most 100), strongly
	// consistent, keyed by pk; missing items are absent from the map.
	batchGet(ctx context.Context, pks []string) (map[string]item, error)
	// scan reads one page of the whole table in no particular order.
	scan(ctx context.Context, p scanPage) ([]item, item, error)
}

// change is one conditional update: the item must exist and pass every check; then the
// sets are written, the bumped numbers incremented and the removed attributes deleted.
// Every value is a string, as everything the package compares or sets is.
type change struct {
	checks  []check
	sets    []setAttr
	bumps   []string
	removes []string
}

type setAttr struct{ attr, value string }

// compareOp is how a check compares a stored string with its value.
type compareOp int

const (
	opEqual   compareOp = iota // stored = value
	opGreater                  // stored > value
	opAtMost                   // stored <= value
)

// check is one condition on a stored string attribute; a missing attribute fails it.
type check struct {
	attr  string
	op    compareOp
	value string
}

// require adds a condition.
func (c *change) require(attr string, op compareOp, value string) {
	c.checks = append(c.checks, check{attr, op, value})
}

// set writes attr = value.
func (c *change) set(attr, value string) { c.sets = append(c.sets, setAttr{attr, value}) }

// setIf writes attr = value unless value is empty, so optional fields are left alone.
func (c *change) setIf(attr, value string) {
	if value != "" {
		c.set(attr, value)
	}
}

// bump writes attr = attr + 1.
func (c *change) bump(attr string) { c.bumps = append(c.bumps, attr) }

// remove deletes attr (a no-op when it is absent).
func (c *change) remove(attr string) { c.removes = append(c.removes, attr) }

// holds reports whether a stored string satisfies the check.
func (k check) holds(stored string) bool {
	switch k.op {
	case opEqual:
		return stored == k.value
	case opGreater:
		return stored > k.value
	case opAtMost:
		return stored <= k.value
	}
	return false
}

// indexQuery reads the items of one index partition whose sort key is below an optional
// bound, in ascending or descending sort-key order.
type indexQuery struct {
	index          string
	pkAttr, skAttr string
	partition      string
	// below, when not empty, keeps only sort keys strictly less than it.
	below string
	// above, when not empty (and below is empty), keeps only sort keys strictly
	// greater than it.
	above string
	// exact, when not empty (and below and above are), keeps only the sort key equal to it.
	exact      string
	descending bool
	limit      int
	// start is a previous query's continuation key (nil to start at the beginning).
	start item
}
