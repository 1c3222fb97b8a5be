package memdir

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Memory is an in-memory user directory with the same methods, errors and
// semantics as awsdir.Directory, for the browser sandbox and the bot's behaviour tests.
// It behaves like real Cognito where moto does not (immutable and unknown
// attribute writes are refused, temporary passwords meet the policy, aliases
// resolve, password resets hit a per-user limit), and the contract tests run
// the same cases against both. Users are listed sorted by username.
//
// Pools and users are set up with AddPool and Seed; subs and request IDs are
// random UUIDs. A Memory is safe for concurrent use.
type Memory struct {
	now func() time.Time

	mu    sync.Mutex
	pools map[string]*memPool
}

// New returns an empty Memory; add pools with AddPool.
func New() *Memory {
	return newMemory(time.Now)
}

// newMemory returns an empty Memory on the clock now, which tests move.
func newMemory(now func() time.Time) *Memory {
	return &Memory{now: now, pools: map[string]*memPool{}}
}

// memPool is one pool of a Memory. desc is the pool as DescribeUserPool would
// return it, so the schema and recovery checks shared with Directory apply.
type memPool struct {
	spec   PoolSpec
	desc   *types.UserPoolType
	groups map[string]GroupSpec
	users  map[string]*memUser // by username
}

// AddPool creates a pool from spec, refusing a malformed or duplicate spec
// with ErrInvalidParameter.
func (m *Memory) AddPool(spec PoolSpec) error {
	if err := normalisePoolSpec(&spec); err != nil {
		return fmt.Errorf("adding pool %q: %w", spec.ID, err)
	}
	p := &memPool{spec: spec, desc: describeSpec(spec), groups: map[string]GroupSpec{}, users: map[string]*memUser{}}
	for _, g := range spec.Groups {
		p.groups[g.Name] = g
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.pools[spec.ID]; ok {
		return fmt.Errorf("adding pool %q: %w: the pool already exists", spec.ID, cognito.ErrInvalidParameter)
	}
	m.pools[spec.ID] = p
	return nil
}

// required lists the attributes every user of the pool must have.
func (p *memPool) required() []string {
	var names []string
	for _, a := range p.spec.Attributes {
		if a.Required {
			names = append(names, a.Name)
		}
	}
	return names
}

// pool returns the pool for poolID after the checks every operation starts
// with — first the intent rule, as the SDK Directory's guard middleware
// applies it (cognito/awsdir/guard.go) — ; m.mu must be held.
func (m *Memory) pool(ctx context.Context, poolID string) (*memPool, error) {
	if err := cognito.RequireIntent(ctx, "the in-memory directory"); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return m.poolByID(poolID)
}

// poolByID returns the pool for poolID, for operations and for arranging
// users (Seed, which is not an operation and needs no intent); m.mu must be
// held.
func (m *Memory) poolByID(poolID string) (*memPool, error) {
	if _, err := cognito.PoolRegion(poolID); err != nil {
		return nil, err
	}
	p, ok := m.pools[poolID]
	if !ok {
		return nil, fmt.Errorf("%w: user pool %s does not exist", cognito.ErrPoolNotFound, poolID)
	}
	return p, nil
}

// newUUID returns a random version 4 UUID, for subs and request IDs.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// done is the Result of a Memory mutation: a fresh request ID for the audit log.
func done() cognito.Result { return cognito.Result{RequestID: newUUID()} }
