// Package quota keeps the Directory under Cognito's request quotas: the
// quota categories and their default rates (Quotas), which category each API
// operation spends (operations.go), and one token bucket per category per
// Region (Set), whose rate follows this replica's part of a shared budget.
//
// The cognito package's guard middleware calls Set.Wait for every SDK call;
// an operation without a category is refused, never sent unlimited. It
// imports nothing of this module.
package quota
