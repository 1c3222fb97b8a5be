package awsdir

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

func TestPoolRegion(t *testing.T) {
	good := map[string]string{
		"us-east-1_AbC123":      "us-east-1",
		"eu-west-1_x":           "eu-west-1",
		"us-gov-west-1_Z9":      "us-gov-west-1",
		"ap-southeast-2_aBcDeF": "ap-southeast-2",
	}
	for id, want := range good {
		if got, err := cognito.PoolRegion(id); err != nil || got != want {
			t.Errorf("PoolRegion(%q) = %q, %v; want %q", id, got, err, want)
		}
	}
	for _, id := range []string{"", "us-east-1", "_abc", "us-east-1_", "US-EAST-1_abc", "us-east-1_a-b", "../x_abc", "us-east-1_abc\n"} {
		if _, err := cognito.PoolRegion(id); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("PoolRegion(%q): got %v, want ErrInvalidParameter", id, err)
		}
	}
}

func TestInvalidInputsMakeNoCall(t *testing.T) {
	r := &recorder{}
	d, _ := newRecorded(r)
	ctx := testIntent()
	checks := map[string]error{}
	_, checks["GetUser bad pool"] = d.GetUser(ctx, "nope", "bob")
	_, checks["DisableUser empty user"] = d.DisableUser(ctx, "us-east-1_a", "")
	_, checks["EnableUser bad pool"] = d.EnableUser(ctx, "nope", "bob")
	_, checks["SignOut bad pool"] = d.SignOut(ctx, "nope", "bob")
	_, checks["DeleteUser bad pool"] = d.DeleteUser(ctx, "nope", "bob")
	_, checks["AddToGroup empty group"] = d.AddToGroup(ctx, "us-east-1_a", "bob", "")
	_, checks["RemoveFromGroup bad pool"] = d.RemoveFromGroup(ctx, "nope", "bob", "g")
	_, checks["ListGroups bad pool"] = d.ListGroups(ctx, "nope")
	_, checks["DescribePool bad pool"] = d.DescribePool(ctx, "nope")
	_, _, checks["CreateUser no email"] = d.CreateUser(ctx, "us-east-1_a", cognito.NewUser{Username: "bob"})
	_, _, checks["CreateUser contradiction"] = d.CreateUser(ctx, "us-east-1_a",
		cognito.NewUser{Username: "bob", Email: "a@x.com", Attributes: map[string]string{"email": "b@x.com"}})
	_, _, checks["UpdateAttributes none"] = d.UpdateAttributes(ctx, "us-east-1_a", "bob", nil)
	_, checks["DeleteAttributes none"] = d.DeleteAttributes(ctx, "us-east-1_a", "bob", nil)
	_, checks["SetPassword empty"] = d.SetPassword(ctx, "us-east-1_a", "bob", "", true)
	checks["CheckResetPassword bad pool"] = d.CheckResetPassword(ctx, "nope", "bob")
	_, checks["ResendInvitation empty user"] = d.ResendInvitation(ctx, "us-east-1_a", "")
	for name, err := range checks {
		if !errors.Is(err, cognito.ErrInvalidParameter) && !errors.Is(err, cognito.ErrInvalidPassword) {
			t.Errorf("%s: got %v, want ErrInvalidParameter", name, err)
		}
	}
	if len(r.calls) != 0 {
		t.Fatalf("calls made: %v", r.calls)
	}
}

func TestOneClientAndLimiterSetPerRegion(t *testing.T) {
	var regions []string
	lims := map[string]*quota.Set{}
	d := newDirectory(func(region string, lim *quota.Set) cognitoAPI {
		regions = append(regions, region)
		lims[region] = lim
		return &recorder{}
	}, Options{}, newFakeClock().clock())
	_, _ = d.api("eu-west-1_a")
	_, _ = d.api("eu-west-1_b")
	_, _ = d.api("us-east-1_a")
	if sort.Strings(regions); strings.Join(regions, ",") != "eu-west-1,us-east-1" {
		t.Fatalf("clients built for %v", regions)
	}
	if lims["eu-west-1"] == nil || lims["eu-west-1"] == lims["us-east-1"] {
		t.Error("Regions share limiters")
	}
}

func TestDescribePoolIsCached(t *testing.T) {
	r := &recorder{pool: &types.UserPoolType{Id: aws.String("us-east-1_a"), Name: aws.String("staff"),
		EstimatedNumberOfUsers: 42, UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		MfaConfiguration: types.UserPoolMfaTypeOptional}}
	d, clk := newRecorded(r)
	ctx := testIntent()
	for range 3 {
		info, err := d.DescribePool(ctx, "us-east-1_a")
		if err != nil {
			t.Fatal(err)
		}
		if info.Name != "staff" || info.EstimatedUsers != 42 || info.MFA != "OPTIONAL" ||
			len(info.UsernameAttributes) != 1 || info.UsernameAttributes[0] != "email" {
			t.Fatalf("DescribePool = %+v", info)
		}
	}
	if n := r.count("DescribeUserPool"); n != 1 {
		t.Fatalf("DescribeUserPool called %d times, want 1", n)
	}
	clk.Advance(defaultCacheTTL)
	_, _ = d.DescribePool(ctx, "us-east-1_a")
	if n := r.count("DescribeUserPool"); n != 2 {
		t.Fatalf("after TTL DescribeUserPool called %d times, want 2", n)
	}
}

func TestListGroupsIsCachedAndCopied(t *testing.T) {
	r := &recorder{}
	d, clk := newRecorded(r)
	ctx := testIntent()
	g, err := d.ListGroups(ctx, "us-east-1_a")
	if err != nil || strings.Join(g, ",") != "a,b" {
		t.Fatalf("ListGroups = %v, %v", g, err)
	}
	g[0] = "mutated"
	g, _ = d.ListGroups(ctx, "us-east-1_a")
	if g[0] != "a" || r.count("ListGroups") != 1 {
		t.Fatalf("cache: got %v after %d calls", g, r.count("ListGroups"))
	}
	clk.Advance(defaultCacheTTL + time.Second)
	_, _ = d.ListGroups(ctx, "us-east-1_a")
	if r.count("ListGroups") != 2 {
		t.Fatal("cache entry did not expire")
	}
}

func schemaPool() *types.UserPoolType {
	return &types.UserPoolType{SchemaAttributes: []types.SchemaAttributeType{
		{Name: aws.String("sub"), Mutable: aws.Bool(false), Required: aws.Bool(true)},
		{Name: aws.String("email"), Mutable: aws.Bool(true), Required: aws.Bool(true)},
		{Name: aws.String("custom:team"), Mutable: aws.Bool(true)},
		{Name: aws.String("custom:employee_id"), Mutable: aws.Bool(false)},
	}}
}

func TestUpdateAttributesChecksSchemaBeforeCalling(t *testing.T) {
	tests := map[string]struct {
		attrs map[string]string
		want  error
	}{
		"unknown custom":   {map[string]string{"custom:nope": "x"}, cognito.ErrUnknownAttribute},
		"unknown standard": {map[string]string{"shoe_size": "x"}, cognito.ErrUnknownAttribute},
		"immutable custom": {map[string]string{"custom:employee_id": "x", "custom:team": "y"}, cognito.ErrImmutableAttribute},
		"sub":              {map[string]string{"sub": "x"}, cognito.ErrImmutableAttribute},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := &recorder{pool: schemaPool()}
			d, _ := newRecorded(r)
			_, _, err := d.UpdateAttributes(testIntent(), "us-east-1_a", "bob", tt.attrs)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if r.count("AdminUpdateUserAttributes") != 0 || r.count("AdminGetUser") != 0 {
				t.Fatalf("calls made: %v", r.calls)
			}
		})
	}
}

func TestUpdateAttributesSendsOnlyChanges(t *testing.T) {
	r := &recorder{pool: schemaPool(), user: &cip.AdminGetUserOutput{Username: aws.String("bob"),
		UserAttributes: attrs("email", "bob@x.com", "custom:team", "ops", "name", "Bob")}}
	d, _ := newRecorded(r)
	ctx := testIntent()
	changed, _, err := d.UpdateAttributes(ctx, "us-east-1_a", "bob", map[string]string{
		"email": "bob@x.com", "custom:team": "dev", "given_name": "Robert", "name": "", "nickname": "",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(changed, ",") != "custom:team,given_name,name" {
		t.Fatalf("changed = %v", changed)
	}
	in := r.last("AdminUpdateUserAttributes").(*cip.AdminUpdateUserAttributesInput)
	var sent []string
	for _, a := range in.UserAttributes {
		sent = append(sent, aws.ToString(a.Name)+"="+aws.ToString(a.Value))
	}
	if strings.Join(sent, ",") != "custom:team=dev,given_name=Robert,name=" {
		t.Fatalf("sent %v", sent)
	}
	// Nothing differs: no update call at all.
	changed, res, err := d.UpdateAttributes(ctx, "us-east-1_a", "bob", map[string]string{"email": "bob@x.com"})
	if err != nil || len(changed) != 0 || res.RequestID != "" || r.count("AdminUpdateUserAttributes") != 1 {
		t.Fatalf("no-op update: %v %v %v, %d update calls", changed, res, err, r.count("AdminUpdateUserAttributes"))
	}
}

func TestDeleteAttributesChecksSchema(t *testing.T) {
	r := &recorder{pool: schemaPool()}
	d, _ := newRecorded(r)
	ctx := testIntent()
	for names, want := range map[string]error{
		"custom:nope":        cognito.ErrUnknownAttribute,
		"custom:employee_id": cognito.ErrImmutableAttribute,
		"sub":                cognito.ErrImmutableAttribute,
		"email":              cognito.ErrInvalidParameter, // required
	} {
		if _, err := d.DeleteAttributes(ctx, "us-east-1_a", "bob", []string{names}); !errors.Is(err, want) {
			t.Errorf("DeleteAttributes(%s): got %v, want %v", names, err, want)
		}
	}
	if r.count("AdminDeleteUserAttributes") != 0 {
		t.Fatal("delete call made for a refused attribute")
	}
	if _, err := d.DeleteAttributes(ctx, "us-east-1_a", "bob", []string{"custom:team", "nickname"}); err != nil {
		t.Fatal(err)
	}
}

func TestResetBlocker(t *testing.T) {
	adminOnly := &types.UserPoolType{AccountRecoverySetting: &types.AccountRecoverySettingType{
		RecoveryMechanisms: []types.RecoveryOptionType{{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)}}}}
	ok := cognito.User{Enabled: true, Status: "CONFIRMED", EmailVerified: true}
	tests := []struct {
		name   string
		u      cognito.User
		pool   *types.UserPoolType
		reason string // substring; "" means no blocker
	}{
		{"fine", ok, &types.UserPoolType{}, ""},
		{"phone only", cognito.User{Enabled: true, Status: "CONFIRMED", PhoneVerified: true}, &types.UserPoolType{}, ""},
		{"reset pending", cognito.User{Enabled: true, Status: "RESET_REQUIRED", EmailVerified: true}, &types.UserPoolType{}, ""},
		{"disabled", cognito.User{Status: "CONFIRMED", EmailVerified: true}, &types.UserPoolType{}, "disabled"},
		{"invited", cognito.User{Enabled: true, Status: "FORCE_CHANGE_PASSWORD", EmailVerified: true}, &types.UserPoolType{}, "never signed in"},
		{"federated", cognito.User{Enabled: true, Status: "EXTERNAL_PROVIDER"}, &types.UserPoolType{}, "external identity provider"},
		{"unconfirmed", cognito.User{Enabled: true, Status: "UNCONFIRMED", EmailVerified: true}, &types.UserPoolType{}, "not confirmed"},
		{"admin only", ok, adminOnly, "administrators only"},
		{"no verified contact", cognito.User{Enabled: true, Status: "CONFIRMED", Email: "a@x.com"}, &types.UserPoolType{}, "no verified"},
	}
	for _, tt := range tests {
		b := cognito.ResetBlocker(&tt.u, tt.pool)
		switch {
		case tt.reason == "" && b != nil:
			t.Errorf("%s: blocked: %v", tt.name, b)
		case tt.reason != "" && (b == nil || !strings.Contains(b.Reason, tt.reason) || b.Hint == ""):
			t.Errorf("%s: got %+v, want reason containing %q and a hint", tt.name, b, tt.reason)
		}
	}
	if b := cognito.ResetBlocker(&cognito.User{Enabled: true, Status: "FORCE_CHANGE_PASSWORD"}, nil); b == nil || !strings.Contains(b.Hint, "resend the invitation") {
		t.Errorf("FORCE_CHANGE_PASSWORD hint = %+v", b)
	}
}

func TestCreateUserInput(t *testing.T) {
	in, err := createUserInput("us-east-1_a", cognito.NewUser{Username: "bob", Email: "b@x.com", Phone: "+15555550100",
		Attributes: map[string]string{"custom:team": "ops", "email_verified": "true"}, TemporaryPassword: "Tmp-pass1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.DesiredDeliveryMediums) != 1 || in.DesiredDeliveryMediums[0] != types.DeliveryMediumTypeEmail || in.MessageAction != "" {
		t.Fatalf("invitation: mediums %v action %q", in.DesiredDeliveryMediums, in.MessageAction)
	}
	var got []string
	for _, a := range in.UserAttributes {
		got = append(got, aws.ToString(a.Name)+"="+aws.ToString(a.Value))
	}
	if strings.Join(got, ",") != "custom:team=ops,email=b@x.com,email_verified=true,phone_number=+15555550100" {
		t.Fatalf("attributes %v", got)
	}
	if aws.ToString(in.TemporaryPassword) != "Tmp-pass1" {
		t.Fatal("temporary password not passed")
	}
	in, err = createUserInput("us-east-1_a", cognito.NewUser{Username: "bob", Invitation: cognito.InviteSuppress})
	if err != nil || in.MessageAction != types.MessageActionTypeSuppress || in.TemporaryPassword != nil {
		t.Fatalf("suppressed: %+v, %v", in, err)
	}
	if _, err := createUserInput("us-east-1_a", cognito.NewUser{Username: "bob", Invitation: cognito.Invitation(9)}); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Fatalf("unknown invitation: %v", err)
	}
}
