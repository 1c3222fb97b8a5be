package table

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Spec is what Migrate makes sure exists: a table keyed on pk alone, its global
// secondary indexes and its TTL attribute.
type Spec struct {
	Name    string
	Indexes []types.GlobalSecondaryIndex
}

// AuditSpec is the audit table named name, as Migrate creates it.
func AuditSpec(name string) Spec {
	return Spec{Name: name, Indexes: []types.GlobalSecondaryIndex{
		index(IndexByTarget, AttrTargetPK, AttrTargetSK),
		index(IndexByActor, AttrActorPK, AttrActorSK),
		index(IndexByOpen, AttrOpenPK, AttrOpenSK),
		index(IndexByChain, AttrChainPK, AttrChainSK),
	}}
}

// StateSpec is the state table named name, as Migrate creates it.
func StateSpec(name string) Spec {
	return Spec{Name: name, Indexes: []types.GlobalSecondaryIndex{
		index(IndexByDue, AttrDuePK, AttrDueAt),
		index(IndexByJob, AttrJobPK, AttrJobSK),
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

// Attributes lists the definitions of every key attribute of the table and its indexes
// (DynamoDB wants exactly those, all strings here).
func (s Spec) Attributes() []types.AttributeDefinition {
	defs := []types.AttributeDefinition{StringAttrDef(AttrPK)}
	for _, ix := range s.Indexes {
		for _, k := range ix.KeySchema {
			defs = append(defs, StringAttrDef(*k.AttributeName))
		}
	}
	return defs
}

// KeySchema is the table's key: pk alone.
func (s Spec) KeySchema() []types.KeySchemaElement {
	return []types.KeySchemaElement{{AttributeName: aws.String(AttrPK), KeyType: types.KeyTypeHash}}
}

// StringAttrDef defines name as a string key attribute.
func StringAttrDef(name string) types.AttributeDefinition {
	return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
}

// SameKeys reports whether a described key schema equals the wanted one.
func SameKeys(got, want []types.KeySchemaElement) bool {
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
