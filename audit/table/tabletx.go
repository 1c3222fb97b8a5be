package table

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TxOp is one write of a transaction (Table.Transact): either a create (it, unless
// an item with its pk exists) or a conditional update of the item pk by change.
// Every op of a transaction happens, or none does, which is what lets an audit entry
// and the chain head that orders it move together (see chain.go).
type TxOp struct {
	create Item
	pk     string
	change Change
}

// TxCreate is a transaction op that writes it unless its pk is taken.
func TxCreate(it Item) TxOp { return TxOp{create: it} }

// TxUpdate is a transaction op that applies c to the existing item pk.
func TxUpdate(pk string, c Change) TxOp { return TxOp{pk: pk, change: c} }

// ScanPage is one page of a full read of the table (Table.Scan): items whose pk starts
// with prefix, at most limit of them, from the continuation key start.
type ScanPage struct {
	Prefix string
	Limit  int
	Start  Item
}

// Cancellation codes DynamoDB gives each op of a cancelled transaction.
const (
	codeNone                = "None"
	CodeConditionalFailed   = "ConditionalCheckFailed"
	codeTransactionConflict = "TransactionConflict"
)

// transactionLost is what DynamoDB returns when a transaction is cancelled: one
// reason per op, in order; a failed condition carries the old item (ALL_OLD).
func transactionLost(reasons []types.CancellationReason) error {
	return &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
}

// Cancelled returns the per-op reasons of a cancelled transaction, or nil when err
// is something else.
func Cancelled(err error) []types.CancellationReason {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		return tce.CancellationReasons
	}
	return nil
}

// ReasonCode is the code of op i in reasons ("" when DynamoDB gave none).
func ReasonCode(reasons []types.CancellationReason, i int) string {
	if i >= len(reasons) {
		return ""
	}
	return aws.ToString(reasons[i].Code)
}
