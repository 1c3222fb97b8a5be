package audit

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// txOp is one write of a transaction (table.transact): either a create (it, unless
// an item with its pk exists) or a conditional update of the item pk by change.
// Every op of a transaction happens, or none does, which is what lets an audit entry
// and the chain head that orders it move together (see chain.go).
type txOp struct {
	create item
	pk     string
	change change
}

// txCreate is a transaction op that writes it unless its pk is taken.
func txCreate(it item) txOp { return txOp{create: it} }

// txUpdate is a transaction op that applies c to the existing item pk.
func txUpdate(pk string, c change) txOp { return txOp{pk: pk, change: c} }

// scanPage is one page of a full read of the table (table.scan): items whose pk starts
// with prefix, at most limit of them, from the continuation key start.
type scanPage struct {
	prefix string
	limit  int
	start  item
}

// Cancellation codes DynamoDB gives each op of a cancelled transaction.
const (
	codeNone                = "None"
	codeConditionalFailed   = "ConditionalCheckFailed"
	codeTransactionConflict = "TransactionConflict"
)

// transactionLost is what DynamoDB returns when a transaction is cancelled: one
// reason per op, in order; a failed condition carries the old item (ALL_OLD).
func transactionLost(reasons []types.CancellationReason) error {
	return &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
}

// cancelled returns the per-op reasons of a cancelled transaction, or nil when err
// is something else.
func cancelled(err error) []types.CancellationReason {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		return tce.CancellationReasons
	}
	return nil
}

// reasonCode is the code of op i in reasons ("" when DynamoDB gave none).
func reasonCode(reasons []types.CancellationReason, i int) string {
	if i >= len(reasons) {
		return ""
	}
	return aws.ToString(reasons[i].Code)
}
