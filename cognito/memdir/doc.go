// Package memdir is the user directory held in memory: the same methods,
// errors and semantics as awsdir.Directory, for the browser sandbox and the
// bot's behaviour tests, which run in milliseconds without an emulator.
//
// It is product code, not a test double: the contract suites
// (cognito/awsdir/contract_*_test.go) run every case against it and against the SDK
// directory on moto. It applies the same intent rule (cognito.RequireIntent)
// to every operation, and reuses the cognito package's rules (query
// classification, list filters and page tokens, attribute, password and
// reset checks) so the two cannot drift apart. It imports cognito and
// nothing else of this module.
package memdir
