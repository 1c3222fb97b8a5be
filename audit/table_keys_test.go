package audit

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// The table's key parts and query cursors (package audit/table) are tested
// here, with the log that writes those keys and pages with those cursors, so
// the small table package needs no test binary of its own.
func TestKeyPart(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", table.MaxKeyPart+1)
	cases := map[string]bool{"abc": false, "cmd#T0#é": false, strings.Repeat("y", table.MaxKeyPart): false, long: true, "~abc": true}
	for in, hashed := range cases {
		out := table.KeyPart(in)
		if (out != in) != hashed || len(out) > table.MaxKeyPart+1 {
			t.Errorf("keyPart(%.20q) = %.20q, hashed=%v", in, out, out != in)
		}
	}
	if table.KeyPart(long) == table.KeyPart(long+"z") || table.KeyPart("~abc") == table.KeyPart("abc") {
		t.Error("keyPart is not one-to-one")
	}
}

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	key := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "ENTRY#1"}, "target_pk": &types.AttributeValueMemberS{Value: "TARGET#p#u"},
		"target_sk": &types.AttributeValueMemberS{Value: "t#1"},
	}
	c := table.EncodeCursor(key)
	got, err := table.DecodeCursor(c, "target_pk", "target_sk", "TARGET#p#u")
	if err != nil || len(got) != 3 || got["target_sk"].(*types.AttributeValueMemberS).Value != "t#1" {
		t.Errorf("decodeCursor: %v, %v", got, err)
	}
	if _, err := table.DecodeCursor(c, "target_pk", "target_sk", "TARGET#p#other"); !errors.Is(err, table.ErrInvalid) {
		t.Errorf("cursor for another user: got %v, want table.ErrInvalid", err)
	}
	if got, err := table.DecodeCursor("", "a", "b", "c"); got != nil || err != nil {
		t.Errorf("empty cursor: %v, %v", got, err)
	}
}
