package table

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestKeyPart(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", MaxKeyPart+1)
	cases := map[string]bool{"abc": false, "cmd#T0#é": false, strings.Repeat("y", MaxKeyPart): false, long: true, "~abc": true}
	for in, hashed := range cases {
		out := KeyPart(in)
		if (out != in) != hashed || len(out) > MaxKeyPart+1 {
			t.Errorf("keyPart(%.20q) = %.20q, hashed=%v", in, out, out != in)
		}
	}
	if KeyPart(long) == KeyPart(long+"z") || KeyPart("~abc") == KeyPart("abc") {
		t.Error("keyPart is not one-to-one")
	}
}

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	key := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "ENTRY#1"}, "target_pk": &types.AttributeValueMemberS{Value: "TARGET#p#u"},
		"target_sk": &types.AttributeValueMemberS{Value: "t#1"},
	}
	c := EncodeCursor(key)
	got, err := DecodeCursor(c, "target_pk", "target_sk", "TARGET#p#u")
	if err != nil || len(got) != 3 || got["target_sk"].(*types.AttributeValueMemberS).Value != "t#1" {
		t.Errorf("decodeCursor: %v, %v", got, err)
	}
	if _, err := DecodeCursor(c, "target_pk", "target_sk", "TARGET#p#other"); !errors.Is(err, ErrInvalid) {
		t.Errorf("cursor for another user: got %v, want ErrInvalid", err)
	}
	if got, err := DecodeCursor("", "a", "b", "c"); got != nil || err != nil {
		t.Errorf("empty cursor: %v, %v", got, err)
	}
}
