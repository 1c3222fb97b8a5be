package table

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Dynamo carries out table operations as DynamoDB requests, with every condition,
// update and key condition built by the expression package (which also puts every
// attribute name behind a placeholder, so none can clash with a reserved word).
type Dynamo struct {
	API  API
	Name string
}

// Create writes it unless an item with the same pk exists (a conditional PutItem).
func (d Dynamo) Create(ctx context.Context, it Item) error {
	expr, err := expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name(AttrPK))).Build()
	if err != nil {
		return fmt.Errorf("%w: building condition: %v", ErrInvalid, err)
	}
	_, err = d.API.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(d.Name),
		Item:                      it,
		ConditionExpression:       expr.Condition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
	})
	return err
}

// Put writes it, replacing any item with the same pk.
func (d Dynamo) Put(ctx context.Context, it Item) error {
	_, err := d.API.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(d.Name), Item: it})
	return err
}

// Get reads the item pk with a strongly consistent read; nil when there is none.
func (d Dynamo) Get(ctx context.Context, pk string) (Item, error) {
	out, err := d.API.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(d.Name),
		Key:            KeyOf(pk),
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

// Update sends c as one conditional UpdateItem. The old item comes back with a failed
// condition (ReturnValuesOnConditionCheckFailure=ALL_OLD), read atomically with it.
func (d Dynamo) Update(ctx context.Context, pk string, c Change) (Item, error) {
	expr, err := c.expression()
	if err != nil {
		return nil, fmt.Errorf("%w: building update: %v", ErrInvalid, err)
	}
	out, err := d.API.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                           aws.String(d.Name),
		Key:                                 KeyOf(pk),
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
func (c Change) expression() (expression.Expression, error) {
	cond := expression.AttributeExists(expression.Name(AttrPK))
	for _, k := range c.checks {
		name, value := expression.Name(k.attr), expression.Value(k.value)
		switch k.op {
		case OpEqual:
			cond = cond.And(name.Equal(value))
		case OpGreater:
			cond = cond.And(name.GreaterThan(value))
		case OpAtMost:
			cond = cond.And(name.LessThanEqual(value))
		}
	}
	var upd expression.UpdateBuilder
	for _, s := range c.sets {
		value := expression.Value(s.value)
		if s.number {
			n, err := strconv.ParseInt(s.value, 10, 64)
			if err != nil {
				return expression.Expression{}, err
			}
			value = expression.Value(n)
		}
		upd = upd.Set(expression.Name(s.attr), value)
	}
	for _, attr := range c.bumps {
		upd = upd.Set(expression.Name(attr), expression.Name(attr).Plus(expression.Value(1)))
	}
	for _, attr := range c.removes {
		upd = upd.Remove(expression.Name(attr))
	}
	return expression.NewBuilder().WithCondition(cond).WithUpdate(upd).Build()
}

// Query reads one page of an index partition (see Table.Query).
func (d Dynamo) Query(ctx context.Context, q IndexQuery) ([]Item, Item, error) {
	key := expression.Key(q.PKAttr).Equal(expression.Value(q.Partition))
	if q.Below != "" {
		key = key.And(expression.Key(q.SKAttr).LessThan(expression.Value(q.Below)))
	} else if q.Above != "" {
		key = key.And(expression.Key(q.SKAttr).GreaterThan(expression.Value(q.Above)))
	} else if q.Exact != "" {
		key = key.And(expression.Key(q.SKAttr).Equal(expression.Value(q.Exact)))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(key).Build()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: building key condition: %v", ErrInvalid, err)
	}
	out, err := d.API.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(d.Name),
		IndexName:                 aws.String(q.Index),
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ScanIndexForward:          aws.Bool(!q.Descending),
		Limit:                     aws.Int32(int32(q.Limit)),
		ExclusiveStartKey:         q.Start,
	})
	if err != nil {
		return nil, nil, err
	}
	return out.Items, out.LastEvaluatedKey, nil
}
