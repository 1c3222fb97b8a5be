package table

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item is one stored record in DynamoDB's attribute-value form. Both backends store and
// exchange items in this form, so marshalling, redaction and truncation happen once,
// above the storage, and the two backends cannot drift apart on what an entry holds.
type Item = map[string]types.AttributeValue

// Table is the storage a Log or Store runs on: DynamoDB (Dynamo) or process memory
// (Memory). It offers only the few operations this package needs, in a structured form
// both can carry out, so which write wins and what a listing returns is decided above it.
//
// Failures look the same from both: a lost condition is a
// *types.ConditionalCheckFailedException whose Item is the old item (nil when there was
// none); anything else is returned as is, for the caller to report as ErrUnavailable.
type Table interface {
	// Create writes it unless an item with the same pk exists.
	Create(ctx context.Context, it Item) error
	// Put writes it, replacing any item with the same pk.
	Put(ctx context.Context, it Item) error
	// Get reads the item with the given pk, strongly consistent; nil when there is none.
	Get(ctx context.Context, pk string) (Item, error)
	// Update applies c to the existing item with the given pk when all its checks hold,
	// and returns the item as written.
	Update(ctx context.Context, pk string, c Change) (Item, error)
	// Query reads one partition of a global secondary index in sort-key order. The
	// second result is where to continue (nil when the partition is exhausted).
	Query(ctx context.Context, q IndexQuery) ([]Item, Item, error)
	// Transact applies every op or none. When any condition fails it returns a
	// *types.TransactionCanceledException with one reason per op (the old item
	// with a failed condition).
	Transact(ctx context.Context, ops []TxOp) error
	// BatchGet reads the items with the given pks (at most 100), strongly
	// consistent, keyed by pk; missing items are absent from the map.
	BatchGet(ctx context.Context, pks []string) (map[string]Item, error)
	// Scan reads one page of the whole table in no particular order.
	Scan(ctx context.Context, p ScanPage) ([]Item, Item, error)
}

// Change is one conditional update: the item must exist and pass every check; then the
// sets are written, the bumped numbers incremented and the removed attributes deleted.
// Every value is a string, as everything the package compares or sets is.
type Change struct {
	checks  []check
	sets    []setAttr
	bumps   []string
	removes []string
}

type setAttr struct {
	attr, value string
	number      bool // value is a decimal number (DynamoDB type N)
}

// CompareOp is how a check compares a stored string with its value.
type CompareOp int

const (
	OpEqual   CompareOp = iota // stored = value
	OpGreater                  // stored > value
	OpAtMost                   // stored <= value
)

// check is one condition on a stored string attribute; a missing attribute fails it.
type check struct {
	attr  string
	op    CompareOp
	value string
}

// Require adds a condition.
func (c *Change) Require(attr string, op CompareOp, value string) {
	c.checks = append(c.checks, check{attr, op, value})
}

// Set writes attr = value.
func (c *Change) Set(attr, value string) { c.sets = append(c.sets, setAttr{attr: attr, value: value}) }

// SetNumber writes attr = n as a number, as the ttl attribute must be for
// DynamoDB's TTL sweep to read it.
func (c *Change) SetNumber(attr string, n int64) {
	c.sets = append(c.sets, setAttr{attr: attr, value: strconv.FormatInt(n, 10), number: true})
}

// SetIf writes attr = value unless value is empty, so optional fields are left alone.
func (c *Change) SetIf(attr, value string) {
	if value != "" {
		c.Set(attr, value)
	}
}

// Bump writes attr = attr + 1.
func (c *Change) Bump(attr string) { c.bumps = append(c.bumps, attr) }

// Remove deletes attr (a no-op when it is absent).
func (c *Change) Remove(attr string) { c.removes = append(c.removes, attr) }

// holds reports whether a stored string satisfies the check.
func (k check) holds(stored string) bool {
	switch k.op {
	case OpEqual:
		return stored == k.value
	case OpGreater:
		return stored > k.value
	case OpAtMost:
		return stored <= k.value
	}
	return false
}

// IndexQuery reads the items of one index partition whose sort key is below an optional
// bound, in ascending or descending sort-key order.
type IndexQuery struct {
	Index          string
	PKAttr, SKAttr string
	Partition      string
	// Below, when not empty, keeps only sort keys strictly less than it.
	Below string
	// Above, when not empty (and below is empty), keeps only sort keys strictly
	// greater than it.
	Above string
	// Exact, when not empty (and below and above are), keeps only the sort key equal to it.
	Exact      string
	Descending bool
	Limit      int
	// Start is a previous query's continuation key (nil to start at the beginning).
	Start Item
}
