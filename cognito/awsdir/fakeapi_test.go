package awsdir

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// recorder is an in-memory cognitoAPI for unit tests: it records every call
// (operation name and input), answers AdminGetUser and DescribeUserPool from
// fields, and pages ListUsers over users with deterministic short and empty
// pages, like Cognito does. An SDK method it does not implement (one a new
// operation adds to the seam) is the nil embedded cognitoAPI's: calling it
// panics, so only the tests that need it have to answer it.
type recorder struct {
	//lint:ignore U1000 promotes the SDK methods the recorder does not answer
	cognitoAPI

	mu     sync.Mutex
	calls  []string
	inputs []any

	user  *cip.AdminGetUserOutput // AdminGetUser answer; nil → UserNotFoundException
	pool  *types.UserPoolType     // DescribeUserPool answer
	users []types.UserType        // ListUsers population
	// shortPages, if set, gives the size of ListUsers page number seq (cycled);
	// the page is never larger than Limit.
	shortPages []int
	errs       map[string]error // per-operation error to return
}

func (r *recorder) rec(op string, in any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, op)
	r.inputs = append(r.inputs, in)
	return r.errs[op]
}

func (r *recorder) count(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		if c == op {
			n++
		}
	}
	return n
}

func (r *recorder) last(op string) any {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.calls) - 1; i >= 0; i-- {
		if r.calls[i] == op {
			return r.inputs[i]
		}
	}
	return nil
}

func (r *recorder) AdminGetUser(_ context.Context, in *cip.AdminGetUserInput, _ ...func(*cip.Options)) (*cip.AdminGetUserOutput, error) {
	if err := r.rec("AdminGetUser", in); err != nil {
		return nil, err
	}
	if r.user == nil {
		return &cip.AdminGetUserOutput{}, nil
	}
	return r.user, nil
}

func (r *recorder) AdminListGroupsForUser(_ context.Context, in *cip.AdminListGroupsForUserInput, _ ...func(*cip.Options)) (*cip.AdminListGroupsForUserOutput, error) {
	return &cip.AdminListGroupsForUserOutput{}, r.rec("AdminListGroupsForUser", in)
}

// ListUsers pages r.users; its token is "<offset>/<seq>", so re-reading a token
// gives the same page, and an empty page still advances seq.
func (r *recorder) ListUsers(_ context.Context, in *cip.ListUsersInput, _ ...func(*cip.Options)) (*cip.ListUsersOutput, error) {
	if err := r.rec("ListUsers", in); err != nil {
		return nil, err
	}
	off, seq := 0, 0
	if t := aws.ToString(in.PaginationToken); t != "" {
		a, b, _ := strings.Cut(t, "/")
		off, _ = strconv.Atoi(a)
		seq, _ = strconv.Atoi(b)
	}
	n := int(aws.ToInt32(in.Limit))
	if n == 0 {
		n = 60
	}
	if len(r.shortPages) > 0 {
		n = min(n, r.shortPages[seq%len(r.shortPages)])
	}
	end := min(off+n, len(r.users))
	out := &cip.ListUsersOutput{Users: append([]types.UserType(nil), r.users[off:end]...)}
	if end < len(r.users) {
		out.PaginationToken = aws.String(fmt.Sprintf("%d/%d", end, seq+1))
	}
	return out, nil
}

func (r *recorder) ListUsersInGroup(_ context.Context, in *cip.ListUsersInGroupInput, _ ...func(*cip.Options)) (*cip.ListUsersInGroupOutput, error) {
	return &cip.ListUsersInGroupOutput{}, r.rec("ListUsersInGroup", in)
}

func (r *recorder) AdminCreateUser(_ context.Context, in *cip.AdminCreateUserInput, _ ...func(*cip.Options)) (*cip.AdminCreateUserOutput, error) {
	return &cip.AdminCreateUserOutput{User: &types.UserType{Username: in.Username}}, r.rec("AdminCreateUser", in)
}

func (r *recorder) AdminUpdateUserAttributes(_ context.Context, in *cip.AdminUpdateUserAttributesInput, _ ...func(*cip.Options)) (*cip.AdminUpdateUserAttributesOutput, error) {
	return &cip.AdminUpdateUserAttributesOutput{}, r.rec("AdminUpdateUserAttributes", in)
}

func (r *recorder) AdminDeleteUserAttributes(_ context.Context, in *cip.AdminDeleteUserAttributesInput, _ ...func(*cip.Options)) (*cip.AdminDeleteUserAttributesOutput, error) {
	return &cip.AdminDeleteUserAttributesOutput{}, r.rec("AdminDeleteUserAttributes", in)
}

func (r *recorder) AdminDisableUser(_ context.Context, in *cip.AdminDisableUserInput, _ ...func(*cip.Options)) (*cip.AdminDisableUserOutput, error) {
	return &cip.AdminDisableUserOutput{}, r.rec("AdminDisableUser", in)
}

func (r *recorder) AdminEnableUser(_ context.Context, in *cip.AdminEnableUserInput, _ ...func(*cip.Options)) (*cip.AdminEnableUserOutput, error) {
	return &cip.AdminEnableUserOutput{}, r.rec("AdminEnableUser", in)
}

func (r *recorder) AdminResetUserPassword(_ context.Context, in *cip.AdminResetUserPasswordInput, _ ...func(*cip.Options)) (*cip.AdminResetUserPasswordOutput, error) {
	return &cip.AdminResetUserPasswordOutput{}, r.rec("AdminResetUserPassword", in)
}

func (r *recorder) AdminSetUserPassword(_ context.Context, in *cip.AdminSetUserPasswordInput, _ ...func(*cip.Options)) (*cip.AdminSetUserPasswordOutput, error) {
	return &cip.AdminSetUserPasswordOutput{}, r.rec("AdminSetUserPassword", in)
}

func (r *recorder) AdminUserGlobalSignOut(_ context.Context, in *cip.AdminUserGlobalSignOutInput, _ ...func(*cip.Options)) (*cip.AdminUserGlobalSignOutOutput, error) {
	return &cip.AdminUserGlobalSignOutOutput{}, r.rec("AdminUserGlobalSignOut", in)
}

func (r *recorder) AdminDeleteUser(_ context.Context, in *cip.AdminDeleteUserInput, _ ...func(*cip.Options)) (*cip.AdminDeleteUserOutput, error) {
	return &cip.AdminDeleteUserOutput{}, r.rec("AdminDeleteUser", in)
}

func (r *recorder) ListGroups(_ context.Context, in *cip.ListGroupsInput, _ ...func(*cip.Options)) (*cip.ListGroupsOutput, error) {
	return &cip.ListGroupsOutput{Groups: []types.GroupType{{GroupName: aws.String("b")}, {GroupName: aws.String("a")}}},
		r.rec("ListGroups", in)
}

func (r *recorder) AdminAddUserToGroup(_ context.Context, in *cip.AdminAddUserToGroupInput, _ ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error) {
	return &cip.AdminAddUserToGroupOutput{}, r.rec("AdminAddUserToGroup", in)
}

func (r *recorder) AdminRemoveUserFromGroup(_ context.Context, in *cip.AdminRemoveUserFromGroupInput, _ ...func(*cip.Options)) (*cip.AdminRemoveUserFromGroupOutput, error) {
	return &cip.AdminRemoveUserFromGroupOutput{}, r.rec("AdminRemoveUserFromGroup", in)
}

func (r *recorder) DescribeUserPool(_ context.Context, in *cip.DescribeUserPoolInput, _ ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	if err := r.rec("DescribeUserPool", in); err != nil {
		return nil, err
	}
	p := r.pool
	if p == nil {
		p = &types.UserPoolType{Id: in.UserPoolId}
	}
	return &cip.DescribeUserPoolOutput{UserPool: p}, nil
}

// newRecorded returns a Directory over r with a fake clock, for unit tests.
func newRecorded(r *recorder) (*Directory, *fakeClock) {
	c := newFakeClock()
	return newDirectory(func(string, *quota.Set) cognitoAPI { return r }, Options{}, c.clock()), c
}

// attrs builds a Cognito attribute list from name/value pairs.
func attrs(kv ...string) []types.AttributeType {
	var out []types.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}
