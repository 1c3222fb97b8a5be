package awsdir

import (
	"context"
	"regexp"
	"testing"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// What the contract suites use of this package's test helpers. They run the
// same cases against Directory and the in-memory twin (cognito/memdir), which
// imports this package, so they live in package cognito_test and reach the
// moto fixture through these.

// Fixture is a user pool on moto with the raw client that arranges it and a
// Directory over it.
type Fixture = fixture

// NewFixture creates a moto pool, customised by opts, deleted when t ends.
func NewFixture(t *testing.T, opts ...func(*cip.CreateUserPoolInput)) *Fixture {
	return newFixture(t, opts...)
}

func (f *fixture) Raw() *cip.Client                     { return f.raw }
func (f *fixture) Ctx() context.Context                 { return f.ctx }
func (f *fixture) Dir() *Directory                      { return f.dir }
func (f *fixture) Pool() string                         { return f.pool }
func (f *fixture) MissingPool() string                  { return f.missingPool() }
func (f *fixture) Invite(username string, kv ...string) { f.invite(username, kv...) }
func (f *fixture) Confirmed(username string, kv ...string) {
	f.confirmed(username, kv...)
}
func (f *fixture) AddToGroup(username, group string) { f.addToGroup(username, group) }
func (f *fixture) Disable(username string)           { f.disable(username) }

// UnderIntent is testIntent: a context under an open audit intent.
func UnderIntent() context.Context { return testIntent() }

// GoodPassword meets Cognito's default policy.
const GoodPassword = goodPassword

// SubPattern matches a sub (a UUID), the form Cognito gives every user.
var SubPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// EveryOperation calls every exported method of dir with zero arguments.
var EveryOperation = everyOperation
