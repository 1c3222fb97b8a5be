package table

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Transact sends ops as one TransactWriteItems. Each op asks for the old item when its
// condition fails, so a writer that lost a chain head learns the new head from the
// failure itself.
func (d Dynamo) Transact(ctx context.Context, ops []TxOp) error {
	items := make([]types.TransactWriteItem, 0, len(ops))
	for _, op := range ops {
		if op.create != nil {
			expr, err := expression.NewBuilder().WithCondition(expression.AttributeNotExists(expression.Name(AttrPK))).Build()
			if err != nil {
				return fmt.Errorf("%w: building condition: %v", ErrInvalid, err)
			}
			items = append(items, types.TransactWriteItem{Put: &types.Put{
				TableName:                           aws.String(d.Name),
				Item:                                op.create,
				ConditionExpression:                 expr.Condition(),
				ExpressionAttributeNames:            expr.Names(),
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
			}})
			continue
		}
		expr, err := op.change.expression()
		if err != nil {
			return fmt.Errorf("%w: building update: %v", ErrInvalid, err)
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                           aws.String(d.Name),
			Key:                                 KeyOf(op.pk),
			UpdateExpression:                    expr.Update(),
			ConditionExpression:                 expr.Condition(),
			ExpressionAttributeNames:            expr.Names(),
			ExpressionAttributeValues:           expr.Values(),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}})
	}
	_, err := d.API.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	return err
}

// BatchGet reads up to 100 items with consistent reads, asking again for the keys
// DynamoDB leaves unprocessed (bounded, so a throttled table fails instead of looping).
func (d Dynamo) BatchGet(ctx context.Context, pks []string) (map[string]Item, error) {
	out := make(map[string]Item, len(pks))
	if len(pks) == 0 {
		return out, nil
	}
	keys := make([]map[string]types.AttributeValue, len(pks))
	for i, pk := range pks {
		keys[i] = KeyOf(pk)
	}
	req := map[string]types.KeysAndAttributes{d.Name: {Keys: keys, ConsistentRead: aws.Bool(true)}}
	for attempt := 0; len(req) > 0; attempt++ {
		if attempt == 10 {
			return nil, fmt.Errorf("batch read left keys unprocessed after %d attempts", attempt)
		}
		res, err := d.API.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return nil, err
		}
		for _, it := range res.Responses[d.Name] {
			out[StringAttr(it, AttrPK)] = it
		}
		req = res.UnprocessedKeys
	}
	return out, nil
}

// Scan reads one page of the table, keeping the items whose pk starts with the prefix
// (a filter: DynamoDB still reads, and bills, the rest).
func (d Dynamo) Scan(ctx context.Context, p ScanPage) ([]Item, Item, error) {
	in := &dynamodb.ScanInput{TableName: aws.String(d.Name), ExclusiveStartKey: p.Start, ConsistentRead: aws.Bool(true)}
	if p.Limit > 0 {
		in.Limit = aws.Int32(int32(p.Limit))
	}
	if p.Prefix != "" {
		expr, err := expression.NewBuilder().WithFilter(expression.BeginsWith(expression.Name(AttrPK), p.Prefix)).Build()
		if err != nil {
			return nil, nil, fmt.Errorf("%w: building filter: %v", ErrInvalid, err)
		}
		in.FilterExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues = expr.Filter(), expr.Names(), expr.Values()
	}
	out, err := d.API.Scan(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	return out.Items, out.LastEvaluatedKey, nil
}
