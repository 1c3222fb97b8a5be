package pipeline

import (
	"context"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// Directory is the user directory as the pipeline's steps see it:
// the operations an action may call (actions.UserOps, where each of them is
// declared once) and the reads and the create the commands make through the
// pipeline. *awsdir.Directory (Cognito through the SDK) and *memdir.Memory
// (the sandbox's in-memory pool) both serve; a method added to either
// interface fails to compile until both have it.
type Directory interface {
	actions.UserOps

	GetUser(ctx context.Context, poolID, username string) (*cognito.User, error)
	FindUsers(ctx context.Context, poolID, query string, max int) ([]cognito.User, error)
	ListUsers(ctx context.Context, poolID string, f cognito.ListFilter, limit int, pageToken string) (cognito.Page, error)
	CreateUser(ctx context.Context, poolID string, in cognito.NewUser) (*cognito.User, cognito.Result, error)
	PoolSchema(ctx context.Context, poolID string) (cognito.PoolSchema, error)
	DescribeGroups(ctx context.Context, poolID string) ([]cognito.Group, error)
	AuthEvents(ctx context.Context, poolID, username string, max int) ([]cognito.AuthEvent, error)
	ListDevices(ctx context.Context, poolID, username string) ([]cognito.Device, error)
	DescribePool(ctx context.Context, poolID string) (cognito.PoolInfo, error)
}

// AuditReader is the read side of the audit log, for the audit command; reading
// the log is an audited operation like any other.
type AuditReader interface {
	ByTarget(ctx context.Context, pool, username string, limit int, cursor string) ([]audit.Entry, string, error)
	ByActor(ctx context.Context, teamID, userID string, limit int, cursor string) ([]audit.Entry, string, error)
	// Search pages newest first through the entries match accepts (reason and
	// ticket search).
	Search(ctx context.Context, match func(audit.Entry) bool, limit int, cursor string) ([]audit.Entry, string, error)
	// Verify checks the log's hash chain (audit verify).
	Verify(ctx context.Context, opts chain.VerifyOptions) (chain.VerifyReport, error)
}

// AuditLog is the append-only record of every attempt. The pipeline fails
// closed on it: when Begin fails, the operation does not run.
type AuditLog interface {
	AuditReader
	Begin(ctx context.Context, e audit.Entry) error
	Finish(ctx context.Context, id string, outcome audit.Outcome, message, cognitoRequestID string) error
	FinishResolved(ctx context.Context, id string, outcome audit.Outcome, message, cognitoRequestID string, resolved audit.Target) error
	Record(ctx context.Context, e audit.Entry) error
	// Get reads one entry, e.g. to learn what became of a bulk job's target
	// whose runner stopped.
	Get(ctx context.Context, id string) (audit.Entry, error)
	OpenIntents(ctx context.Context, dueBefore time.Time, limit int) ([]audit.Entry, error)
}

// Authorizer is the one policy decision (package policy), asked on every
// step with the actor's user groups looked up (*rbac.Policy), never trusting
// what a button says.
type Authorizer interface {
	Decide(ctx context.Context, actor policy.Actor, r policy.Request) policy.Decision
}

// Observer is told the outcome of every step, for metrics; nil means none.
type Observer interface {
	StepDone(action, result string)
}
