package audit

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Page sizes for ByTarget and ByActor.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// ByTarget lists the entries about one Cognito user, newest first, at most limit per page
// (default 20, at most 100). Pass the returned cursor to get the next page; "" means
// there are no more. The listing comes from a global secondary index, which in AWS is
// eventually consistent: an entry written a moment ago may not be listed yet.
func (l *Log) ByTarget(ctx context.Context, pool, username string, limit int, cursor string) ([]Entry, string, error) {
	if username == "" {
		return nil, "", fmt.Errorf("listing audit entries by target: %w: empty username", ErrInvalid)
	}
	es, next, err := l.list(ctx, indexByTarget, attrTargetPK, attrTargetSK, targetKey(pool, username), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing audit entries by target: %w", err)
	}
	return es, next, nil
}

// ByActor lists the entries made by one Slack user (team ID plus user ID), newest first,
// with the same paging and consistency as ByTarget.
func (l *Log) ByActor(ctx context.Context, teamID, userID string, limit int, cursor string) ([]Entry, string, error) {
	if teamID == "" || userID == "" {
		return nil, "", fmt.Errorf("listing audit entries by actor: %w: empty team or user id", ErrInvalid)
	}
	es, next, err := l.list(ctx, indexByActor, attrActorPK, attrActorSK, actorKey(teamID, userID), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing audit entries by actor: %w", err)
	}
	return es, next, nil
}

// list queries one index partition newest first. It asks for one item more than the
// page so it can tell whether another page exists: the cursor it returns then never
// leads to an empty page, which a raw LastEvaluatedKey can.
func (l *Log) list(ctx context.Context, index, pkAttr, skAttr, partition string, limit int, cursor string) ([]Entry, string, error) {
	if limit <= 0 {
		limit = defaultPageSize
	}
	limit = min(limit, maxPageSize)
	start, err := decodeCursor(cursor, pkAttr, skAttr, partition)
	if err != nil {
		return nil, "", err
	}
	out, err := l.api.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(l.table),
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: partition}},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit + 1)),
		ExclusiveStartKey:         start,
	})
	if err != nil {
		return nil, "", unavailable(err)
	}
	items := out.Items
	next := ""
	switch {
	case len(items) > limit:
		items = items[:limit]
		last := items[limit-1]
		next = encodeCursor(map[string]types.AttributeValue{
			attrPK: last[attrPK], pkAttr: last[pkAttr], skAttr: last[skAttr],
		})
	case len(out.LastEvaluatedKey) > 0:
		// The 1 MB page cap cut the page short; continue where DynamoDB stopped.
		next = encodeCursor(out.LastEvaluatedKey)
	}
	entries := make([]Entry, 0, len(items))
	for _, av := range items {
		e, err := unmarshalEntry(av)
		if err != nil {
			return nil, "", err
		}
		entries = append(entries, e)
	}
	return entries, next, nil
}
