package audit

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Tables names the two tables the bot uses.
type Tables struct {
	// Audit holds the append-only audit log (Log).
	Audit string
	// State holds pending actions and sessions (Store).
	State string
}

// tableSpec is what Migrate makes sure exists: a table keyed on pk alone, its global
// secondary indexes and its TTL attribute.
type tableSpec struct {
	name    string
	indexes []types.GlobalSecondaryIndex
}

func auditSpec(name string) tableSpec {
	return tableSpec{name: name, indexes: []types.GlobalSecondaryIndex{
		index(indexByTarget, attrTargetPK, attrTargetSK),
		index(indexByActor, attrActorPK, attrActorSK),
		index(indexByOpen, attrOpenPK, attrOpenSK),
		index(indexByChain, attrChainPK, attrChainSK),
	}}
}

func stateSpec(name string) tableSpec {
	return tableSpec{name: name, indexes: []types.GlobalSecondaryIndex{
		index(indexByDue, attrDuePK, attrDueAt),
		index(indexByJob, attrJobPK, attrJobSK),
	}}
}

// index describes a string-keyed GSI projecting every attribute, so a listing needs no
// second read of the base table.
func index(name, hash, sort string) types.GlobalSecondaryIndex {
	return types.GlobalSecondaryIndex{
		IndexName: aws.String(name),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(hash), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sort), KeyType: types.KeyTypeRange},
		},
		Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
	}
}

// attributes lists the definitions of every key attribute of the table and its indexes
// (DynamoDB wants exactly those, all strings here).
func (s tableSpec) attributes() []types.AttributeDefinition {
	defs := []types.AttributeDefinition{str(attrPK)}
	for _, ix := range s.indexes {
		for _, k := range ix.KeySchema {
			defs = append(defs, str(*k.AttributeName))
		}
	}
	return defs
}

func (s tableSpec) keySchema() []types.KeySchemaElement {
	return []types.KeySchemaElement{{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash}}
}

func str(name string) types.AttributeDefinition {
	return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
}

// sameKeys reports whether a described key schema equals the wanted one.
func sameKeys(got, want []types.KeySchemaElement) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if aws.ToString(got[i].AttributeName) != aws.ToString(want[i].AttributeName) || got[i].KeyType != want[i].KeyType {
			return false
		}
	}
	return true
}
