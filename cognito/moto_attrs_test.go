package cognito

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// attrPool has a mutable and an immutable custom attribute. moto accepts writes
// to immutable and unknown attributes (real Cognito refuses them), so these
// tests show that the schema check answers first.
func attrPool(t *testing.T) *fixture {
	return newFixture(t, withSchema(
		types.SchemaAttributeType{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
		types.SchemaAttributeType{Name: aws.String("employee_id"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false)},
	))
}

func TestMotoUpdateAttributes(t *testing.T) {
	t.Parallel()
	f := attrPool(t)
	f.confirmed("nina", "email", "nina@example.com", "custom:team", "ops", "custom:employee_id", "E1")

	changed, res, err := f.dir.UpdateAttributes(f.ctx, f.pool, "nina", map[string]string{
		"email": "nina@example.com", "custom:team": "dev", "given_name": "Nina",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(changed, ",") != "custom:team,given_name" || res.RequestID == "" {
		t.Fatalf("changed %v, result %+v", changed, res)
	}
	got := f.read("nina")
	if v, _ := attr(got, "custom:team"); v != "dev" {
		t.Fatalf("custom:team = %q", v)
	}
	if v, _ := attr(got, "given_name"); v != "Nina" {
		t.Fatalf("given_name = %q", v)
	}
	changed, res, err = f.dir.UpdateAttributes(f.ctx, f.pool, "nina", map[string]string{"custom:team": "dev"})
	if err != nil || len(changed) != 0 || res.RequestID != "" {
		t.Fatalf("no-op update: %v %+v %v", changed, res, err)
	}

	for attrs, want := range map[string]error{
		"custom:employee_id": ErrImmutableAttribute,
		"sub":                ErrImmutableAttribute,
		"custom:unknown":     ErrUnknownAttribute,
		"shoe_size":          ErrUnknownAttribute,
	} {
		if _, _, err := f.dir.UpdateAttributes(f.ctx, f.pool, "nina", map[string]string{attrs: "x"}); !errors.Is(err, want) {
			t.Errorf("update %s: got %v, want %v", attrs, err, want)
		}
	}
	if v, _ := attr(f.read("nina"), "custom:employee_id"); v != "E1" {
		t.Fatalf("immutable attribute changed to %q", v)
	}
	if _, ok := attr(f.read("nina"), "custom:unknown"); ok {
		t.Fatal("unknown attribute was written")
	}
	if _, _, err := f.dir.UpdateAttributes(f.ctx, f.pool, "nobody", map[string]string{"custom:team": "x"}); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: got %v", err)
	}
	if _, _, err := f.dir.UpdateAttributes(f.ctx, f.missingPool(), "nina", map[string]string{"custom:team": "x"}); !errors.Is(err, ErrPoolNotFound) {
		t.Fatalf("unknown pool: got %v", err)
	}
}

func TestMotoDeleteAttributes(t *testing.T) {
	t.Parallel()
	f := attrPool(t)
	f.confirmed("omar", "email", "omar@example.com", "custom:team", "ops", "custom:employee_id", "E2", "nickname", "O")

	if _, err := f.dir.DeleteAttributes(f.ctx, f.pool, "omar", []string{"custom:team", "nickname"}); err != nil {
		t.Fatal(err)
	}
	got := f.read("omar")
	for _, name := range []string{"custom:team", "nickname"} {
		if _, ok := attr(got, name); ok {
			t.Errorf("%s still present", name)
		}
	}
	if v, _ := attr(got, "email"); v != "omar@example.com" {
		t.Errorf("email = %q", v)
	}
	for name, want := range map[string]error{
		"custom:employee_id": ErrImmutableAttribute,
		"custom:unknown":     ErrUnknownAttribute,
	} {
		if _, err := f.dir.DeleteAttributes(f.ctx, f.pool, "omar", []string{name}); !errors.Is(err, want) {
			t.Errorf("delete %s: got %v, want %v", name, err, want)
		}
	}
	if _, err := f.dir.DeleteAttributes(f.ctx, f.pool, "nobody", []string{"nickname"}); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: got %v", err)
	}
}
