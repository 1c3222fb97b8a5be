package audit

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// updateExpr builds an UpdateItem expression. Every attribute name goes through a
// placeholder, so no name can collide with DynamoDB's long list of reserved words
// ("state", "name", "result", …).
type updateExpr struct {
	sets    []string
	removes []string
	names   map[string]string
	values  map[string]types.AttributeValue
}

func newUpdateExpr() *updateExpr {
	return &updateExpr{names: map[string]string{}, values: map[string]types.AttributeValue{}}
}

// name returns the placeholder for attribute attr.
func (u *updateExpr) name(attr string) string {
	for k, v := range u.names {
		if v == attr {
			return k
		}
	}
	k := fmt.Sprintf("#n%d", len(u.names))
	u.names[k] = attr
	return k
}

// value returns a new placeholder bound to av.
func (u *updateExpr) value(av types.AttributeValue) string {
	k := fmt.Sprintf(":v%d", len(u.values))
	u.values[k] = av
	return k
}

// str returns a new placeholder bound to the string s.
func (u *updateExpr) str(s string) string {
	return u.value(&types.AttributeValueMemberS{Value: s})
}

// set adds "attr = s".
func (u *updateExpr) set(attr, s string) {
	u.sets = append(u.sets, u.name(attr)+" = "+u.str(s))
}

// setIf adds "attr = s" unless s is empty, so optional fields are left alone.
func (u *updateExpr) setIf(attr, s string) {
	if s != "" {
		u.set(attr, s)
	}
}

// bump adds "attr = attr + 1".
func (u *updateExpr) bump(attr string) {
	n := u.name(attr)
	u.sets = append(u.sets, n+" = "+n+" + "+u.value(&types.AttributeValueMemberN{Value: "1"}))
}

// remove adds attr to the REMOVE clause.
func (u *updateExpr) remove(attr string) {
	u.removes = append(u.removes, u.name(attr))
}

// expression returns the UpdateExpression text.
func (u *updateExpr) expression() string {
	var b strings.Builder
	if len(u.sets) > 0 {
		b.WriteString("SET " + strings.Join(u.sets, ", "))
	}
	if len(u.removes) > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("REMOVE " + strings.Join(u.removes, ", "))
	}
	return b.String()
}
