package audit

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// dynamoTable carries out table operations as DynamoDB requests, with every condition,
// update and key condition built by the expression package (which also puts every
// attribute name behind a placeholder, so none can clash with a reserved word).
type dynamoTable struct {
	api  dynamoAPI
	name string
}

func (d dynamoTable) create(ctx context.Context, it item) error {
	expr, err := expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name(attrPK))).Build()
	if err != nil {
		return fmt.Errorf("%w: building condition: %v", ErrInvalid, err)
	}
	_, err = d.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(d.name),
		Item:                      it,
		ConditionExpression:       expr.Condition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
	})
	return err
}

func (d dynamoTable) put(ctx context.Context, it item) error {
	_, err := d.api.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(d.name), Item: it})
	return err
}

func (d dynamoTable) get(ctx context.Context, pk string) (item, error) {
	out, err := d.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(d.name),
		Key:            keyOf(pk),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// update sends c as one conditional UpdateItem. The old item comes back with a failed
// condition (ReturnValuesOnConditionCheckFailure=ALL_OLD), read atomically with it.
func (d dynamoTable) update(ctx context.Context, pk string, c change) (item, error) {
	expr, err := c.expression()
	if err != nil {
		return nil, fmt.Errorf("%w: building update: %v", ErrInvalid, err)
	}
	out, err := d.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                           aws.String(d.name),
		Key:                                 keyOf(pk),
		UpdateExpression:                    expr.Update(),
		ConditionExpression:                 expr.Condition(),
		ExpressionAttributeNames:            expr.Names(),
		ExpressionAttributeValues:           expr.Values(),
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err != nil {
		return nil, err
	}
	return out.Attributes, nil
}

// expression translates c: the item must exist (attribute_exists(pk)) and pass every check.
func (c change) expression() (expression.Expression, error) {
	cond := expression.AttributeExists(expression.Name(attrPK))
	for _, k := range c.checks {
		name, value := expression.Name(k.attr), expression.Value(k.value)
		switch k.op {
		case opEqual:
			cond = cond.And(name.Equal(value))
		case opGreater:
			cond = cond.And(name.GreaterThan(value))
		case opAtMost:
			cond = cond.And(name.LessThanEqual(value))
		}
	}
	var upd expression.UpdateBuilder
	for _, s := range c.sets {
		upd = upd.Set(expression.Name(s.attr), expression.Value(s.value))
	}
	for _, attr := range c.bumps {
		upd = upd.Set(expression.Name(attr), expression.Name(attr).Plus(expression.Value(1)))
	}
	for _, attr := range c.removes {
		upd = upd.Remove(expression.Name(attr))
	}
	return expression.NewBuilder().WithCondition(cond).WithUpdate(upd).Build()
}

func (d dynamoTable) query(ctx context.Context, q indexQuery) ([]item, item, error) {
	key := expression.Key(q.pkAttr).Equal(expression.Value(q.partition))
	if q.below != "" {
		key = key.And(expression.Key(q.skAttr).LessThan(expression.Value(q.below)))
	} else if q.above != "" {
		key = key.And(expression.Key(q.skAttr).GreaterThan(expression.Value(q.above)))
	} else if q.exact != "" {
		key = key.And(expression.Key(q.skAttr).Equal(expression.Value(q.exact)))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(key).Build()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: building key condition: %v", ErrInvalid, err)
	}
	out, err := d.api.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(d.name),
		IndexName:                 aws.String(q.index),
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ScanIndexForward:          aws.Bool(!q.descending),
		Limit:                     aws.Int32(int32(q.limit)),
		ExclusiveStartKey:         q.start,
	})
	if err != nil {
		return nil, nil, err
	}
	return out.Items, out.LastEvaluatedKey, nil
}
