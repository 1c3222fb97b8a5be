package bot_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// liftedQuotas takes Cognito's client-side limits out of the way, so a
// benchmark measures the bot and the emulators, not the pacing.
func liftedQuotas(c *config.Config) {
	q := &c.Quotas
	q.UserRead, q.UserList, q.UserResourceRead, q.UserPoolRead, q.UserPoolResourceRead = 1e5, 1e5, 1e5, 1e5, 1e5
}

var liftedDirectory = quota.Quotas{UserRead: 1e5, UserList: 1e5, UserResourceRead: 1e5, UserPoolRead: 1e5, UserPoolResourceRead: 1e5}

// BenchmarkLookupAgainstItsFloor answers lookups one after another (quotas
// lifted) and compares their time with the floor of the calls a lookup
// cannot avoid, measured in the same run on the same emulators: the intent
// (a DynamoDB put), ListUsers, then AdminGetUser ∥ AdminListGroupsForUser,
// then the outcome (an update) ∥ the card's session (a put).
func BenchmarkLookupAgainstItsFloor(b *testing.B) {
	h := bottest.New(b, &bottest.Options{Wire: true, DirectoryQuotas: liftedDirectory, Configure: liftedQuotas})
	h.CreateUser("floor", "floor@example.com")
	const n = 60
	for range b.N {
		for range 5 { // warm connections and caches
			h.Reply(h.Command(bottest.Admin, "lookup floor"), 1)
		}
		var took []time.Duration
		for range n {
			d := h.Command(bottest.Admin, "lookup floor")
			h.Reply(d, 1)
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				took = append(took, posts[0].At.Sub(d.Sent))
			}
		}
		// help touches neither Cognito nor DynamoDB: its time is the Slack
		// round trip (envelope in, queue, answer out) that every lookup pays too.
		var slackTrip []time.Duration
		for range n {
			d := h.Command(bottest.Admin, "help")
			h.Reply(d, 1)
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				slackTrip = append(slackTrip, posts[0].At.Sub(d.Sent))
			}
		}
		floor, parts := lookupFloor(b, h, n)
		ratio := float64(pct(took, 50)) / float64(floor)
		b.Logf("help p50 %s (the Slack round trip); lookup p50 − help p50 = %s, %.2fx the floor",
			pct(slackTrip, 50).Round(10*time.Microsecond), (pct(took, 50) - pct(slackTrip, 50)).Round(10*time.Microsecond),
			float64(pct(took, 50)-pct(slackTrip, 50))/float64(floor))
		b.ReportMetric(float64(pct(took, 50).Microseconds())/1000, "lookup-p50-ms")
		b.ReportMetric(float64(floor.Microseconds())/1000, "floor-ms")
		b.ReportMetric(ratio, "lookup/floor")
		b.Logf("lookup p50 %s, p90 %s over %d in a row; floor %s (%s); %.2fx the floor",
			pct(took, 50).Round(10*time.Microsecond), pct(took, 90).Round(10*time.Microsecond), n, floor.Round(10*time.Microsecond), parts, ratio)
	}
}

var floorRuns atomic.Int64

// lookupFloor times each unavoidable call n times against the emulators the
// bot uses and adds their medians the way a lookup must: one after another,
// except the pairs that can run side by side.
func lookupFloor(b *testing.B, h *bottest.Harness, n int) (time.Duration, string) {
	cfg := testenv.AWSConfig(b)
	idp, ddb := cip.NewFromConfig(cfg), dynamodb.NewFromConfig(cfg)
	ctx := context.Background()
	table := aws.String(h.Config.Audit.StateTable)
	timeIt := func(f func(i int) error) time.Duration {
		var d []time.Duration
		for i := range n {
			start := time.Now()
			if err := f(i); err != nil {
				b.Fatal(err)
			}
			d = append(d, time.Since(start))
		}
		return pct(d, 50)
	}
	pool := aws.String(h.Pool.ID)
	run := floorRuns.Add(1) // a benchmark may measure the floor more than once
	put := timeIt(func(i int) error {
		_, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("FLOOR#%d#%d", run, i)}, "v": &types.AttributeValueMemberS{Value: "x"}},
			ConditionExpression: aws.String("attribute_not_exists(pk)")})
		return err
	})
	update := timeIt(func(i int) error {
		_, err := ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: table,
			Key:                       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("FLOOR#%d#%d", run, i)}},
			UpdateExpression:          aws.String("SET v = :o"),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":o": &types.AttributeValueMemberS{Value: "ok"}}})
		return err
	})
	list := timeIt(func(int) error {
		_, err := idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(`username = "floor"`), Limit: aws.Int32(60)})
		return err
	})
	get := timeIt(func(int) error {
		_, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("floor")})
		return err
	})
	groups := timeIt(func(int) error {
		_, err := idp.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("floor")})
		return err
	})
	floor := put + list + max(get, groups) + max(update, put)
	return floor, fmt.Sprintf("put %s, ListUsers %s, max(AdminGetUser %s, AdminListGroupsForUser %s), max(update %s, put)",
		put.Round(10*time.Microsecond), list.Round(10*time.Microsecond), get.Round(10*time.Microsecond),
		groups.Round(10*time.Microsecond), update.Round(10*time.Microsecond))
}

// BenchmarkLookupBurstFrom100People sends 300 lookups within one second from
// 100 people (quotas lifted) and reports envelope → ack latency and answers.
func BenchmarkLookupBurstFrom100People(b *testing.B) {
	people := make([]string, 100)
	for i := range people {
		people[i] = fmt.Sprintf("UPEOPLE%03d", i)
	}
	h := bottest.New(b, &bottest.Options{Wire: true, DirectoryQuotas: liftedDirectory, Configure: func(c *config.Config) {
		liftedQuotas(c)
		c.Roles = append(c.Roles, config.Role{Name: "desk", Members: people, Actions: []config.Action{actions.Lookup}})
	}})
	h.CreateUser("burst", "burst@example.com")
	const n = 300
	for range b.N {
		deliveries := make([]*slackemu.Delivery, n)
		var sent sync.WaitGroup
		start := time.Now()
		for i := range n {
			sent.Add(1)
			go func() { defer sent.Done(); deliveries[i] = h.Command(people[i%len(people)], "lookup burst") }()
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * time.Second / n)))
		}
		sent.Wait()
		injected := time.Since(start)
		ctx, cancel := h.Timeout()
		var acks, answers []time.Duration
		for _, d := range deliveries {
			if a, err := h.Slack.WaitAck(ctx, d.EnvelopeID); err == nil && !a.Late {
				acks = append(acks, a.Latency())
			}
		}
		for _, d := range deliveries {
			_ = h.Slack.Wait(ctx, func() bool { return len(h.Slack.ResponsePosts(d.ResponseURL)) > 0 })
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				answers = append(answers, posts[0].At.Sub(d.Sent))
			}
		}
		cancel()
		b.ReportMetric(float64(pct(acks, 99).Microseconds())/1000, "ack-p99-ms")
		b.ReportMetric(float64(pct(answers, 50).Milliseconds()), "answer-p50-ms")
		b.Logf("%d lookups from 100 people injected in %s on %d CPUs: acked %d; ack p50 %s p99 %s max %s; answered %d, p50 %s p99 %s",
			n, injected.Round(time.Millisecond), runtime.NumCPU(), len(acks), pct(acks, 50), pct(acks, 99), pct(acks, 100),
			len(answers), pct(answers, 50), pct(answers, 99))
	}
}
