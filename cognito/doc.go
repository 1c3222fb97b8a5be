// Package cognito is cognito-bot's user-directory domain: the value types the
// rest of the bot speaks (User, PoolInfo, PoolSchema, Group, Device, AuthEvent,
// Page, Result…), the sentinel errors callers match with errors.Is (errors.go),
// the intent rule (intent.go), and the rules every directory applies the same
// way, so the two implementations cannot drift apart.
//
// It holds no directory itself. Two packages implement the same method set
// over these types, and one contract test suite (cognito/awsdir's) runs against
// both:
//
//   - cognito/awsdir: Cognito through the AWS SDK (awsdir.Directory), with the
//     guard middleware, the retry policy, the caches and the translation of SDK
//     errors and types into this package's;
//   - cognito/memdir: the in-memory twin (memdir.Memory), for the browser
//     sandbox and the bot's behaviour tests.
//
// The shared rules: what a desk agent typed and which filter finds it
// (ClassifyQuery, FindArgs, FindValues, BuildFilter), the list query language
// and its page tokens (ListFilter, ListArgs, ListPlan, PagePos), attribute
// writes (CheckWritable, ChangedAttributes, StandardAttributes), password
// policy and generation (CheckPassword, GeneratePassword), when a reset cannot
// work (ResetBlocker), what a new user is created with (CreateAttributes),
// and what a pool description means (PoolInfoOf, SchemaOf). Pool descriptions are Cognito's own
// types.UserPoolType (both directories hold one per pool), so these rules take
// it as is.
//
// Nothing is called without an audit intent: both directories refuse a call
// whose context carries no open intent (OpenIntent, which only the pipeline
// uses) with ErrNoIntent, except under one of the two named exemptions
// (ForStartupCheck, ForSandboxSeeding). Package cognito/quota holds the request
// quotas the SDK directory's guard takes tokens from.
//
// Pool IDs carry their Region ("eu-west-1_AbC123", PoolRegion). Only IDs (pool,
// username, request ID) are logged; passwords and attribute values never are.
package cognito
