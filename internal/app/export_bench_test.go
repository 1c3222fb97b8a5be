package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/chain"
)

// generatedChains is a DynamoDB client whose by_chain index holds perShard links
// in each chain, made up page by page as they are asked for: the export streams
// through a million entries without a table, or memory, to hold them.
func generatedChains(perShard int) *dynamodb.Client {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	link := func(shard, seq int) map[string]types.AttributeValue {
		at := base.Add(time.Duration(seq*chain.ChainShards+shard) * time.Millisecond).Format("2006-01-02T15:04:05.000000000Z07:00")
		id := fmt.Sprintf("cmd#%d-%d", shard, seq)
		return map[string]types.AttributeValue{
			"pk": s("ENTRY#" + id), "id": s(id), "time": s(at), "action": s("disable"), "decision": s("allowed"), "outcome": s("ok"),
			"actor_user_id": s("U0123ABCD"), "actor_team_id": s("T0001"), "actor_name": s("alice"), "channel": s("C0SUPPORT"),
			"target_pool": s("eu-west-1_AbC123xyZ"), "target_username": s(fmt.Sprintf("user-%d", seq)), "target_sub": s("4f1c2a9e-8d3b-4b7a-9e21-0c5d6f7a8b9c"),
			"params": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"phase": s("execute"), "reason": s("offboarding")}},
			"reason": s("INC-4211 offboarding"), "message": s("Disabled user-" + strconv.Itoa(seq)),
			"chain_pk": s("CHAIN#" + strconv.Itoa(shard)), "chain_sk": s(fmt.Sprintf("%s#%012d", at, seq)), "chain_kind": s("record"),
			"chain_prev": s(strings.Repeat("a", 64)), "chain_prev_expires": s("0"), "chain_hash": s(strings.Repeat("b", 64)),
		}
	}
	answer := func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
		shard, _ := strconv.Atoi(strings.TrimPrefix(in.ExpressionAttributeValues[":0"].(*types.AttributeValueMemberS).Value, "CHAIN#"))
		next := 1
		if sk, ok := in.ExclusiveStartKey["chain_sk"].(*types.AttributeValueMemberS); ok {
			seq, _ := strconv.Atoi(sk.Value[len(sk.Value)-12:])
			next = seq + 1
		}
		out := &dynamodb.QueryOutput{}
		for seq := next; seq <= perShard && len(out.Items) < int(aws.ToInt32(in.Limit)); seq++ {
			out.Items = append(out.Items, link(shard, seq))
		}
		if last := next + len(out.Items) - 1; last < perShard && len(out.Items) > 0 {
			l := out.Items[len(out.Items)-1]
			out.LastEvaluatedKey = map[string]types.AttributeValue{"pk": l["pk"], "chain_pk": l["chain_pk"], "chain_sk": l["chain_sk"]}
		}
		return out, nil
	}
	return dynamodb.New(dynamodb.Options{Region: "eu-west-1", APIOptions: []func(*middleware.Stack) error{
		func(st *middleware.Stack) error {
			return st.Initialize.Add(middleware.InitializeMiddlewareFunc("bench/generated",
				func(_ context.Context, in middleware.InitializeInput, _ middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					q, ok := in.Parameters.(*dynamodb.QueryInput)
					if !ok {
						return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("the generated table answers Query only, not %T", in.Parameters)
					}
					out, err := answer(q)
					return middleware.InitializeOutput{Result: out}, middleware.Metadata{}, err
				}), middleware.Before)
		},
	}})
}

// BenchmarkAuditExport1M exports a million links (125 000 per chain) as JSONL and
// CSV and reports the process's peak resident memory, which stays that of one
// page per chain however long the log: run it alone (make bench-export), as the
// peak is the whole process's.
func BenchmarkAuditExport1M(b *testing.B) {
	const perShard = 1_000_000 / chain.ChainShards
	log := audit.NewLog(generatedChains(perShard), "audit", 0)
	for _, format := range []string{"jsonl", "csv"} {
		b.Run(format, func(b *testing.B) {
			for range b.N {
				counter := &countingWriter{}
				start := time.Now()
				if code := exportAudit(context.Background(), log, time.Time{}, format, counter, io.Discard); code != exitOK {
					b.Fatalf("export exited %d", code)
				}
				lines := counter.lines
				if format == "csv" {
					lines-- // the header
				}
				if lines != 1_000_000 {
					b.Fatalf("exported %d records, want 1000000", lines)
				}
				b.ReportMetric(float64(lines)/time.Since(start).Seconds(), "records/s")
				b.ReportMetric(float64(counter.bytes)/(1<<20), "MB-written")
			}
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB") // Linux reports KiB
			}
		})
	}
}

// countingWriter counts what an export writes, and keeps none of it.
type countingWriter struct{ bytes, lines int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.bytes += len(p)
	w.lines += strings.Count(string(p), "\n")
	return len(p), nil
}
