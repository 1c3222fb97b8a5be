// Package bulk runs bulk jobs: one action of the action table applied to many
// users, each user its own audited step of the one pipeline (bot/pipeline), at
// the speed the Cognito quotas allow, surviving restarts and replica deaths.
//
// A job and its targets live in the state table (state.Store's job methods):
// the replica holding the job's lease runs it and renews the lease on a
// heartbeat; when it stops, another replica's Loop finds the lapsed lease and
// continues from the stored per-target states. Each target is claimed with a
// conditional write and audited under a deterministic id ("bulk#<job>#<n>"),
// so no target is ever run or audited twice.
//
// A whole job (WholeOp, e.g. an export) is long work done as one piece: a
// job of one target on the same lease, heartbeat and Cancel, started again
// from the beginning by a takeover (see whole.go).
//
// Rates: the runner keeps one limiter per quota category, at the configured
// rate times (1 − reserve). The directory's own limiter stays at the full
// configured rate, so interactive commands always find at least the reserve
// share of each quota free while a job runs. On cognito.ErrThrottled the
// category's job rate is halved and the same call retried after a pause;
// every success adds back a twentieth of the ceiling (AIMD), so a throttled
// target is slowed, never failed, unless throttling persists past maxAttempts.
package bulk
