package bot_test

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// lookupFloor makes the calls a lookup of one user cannot avoid, as the
// product must make them, on the emulators the bot uses, one lookup's worth
// at a time (once). Each is unavoidable:
//
//   - the intent: the audit entry must be written before Cognito is called
//     (an action is never unaudited, even after a crash), and on the hash
//     chain it is one TransactWriteItems of the entry's conditional put and
//     its chain head's conditional update;
//   - ListUsers: a typed query (username, email, phone or sub) is resolved by
//     searching; only after it is the user's username known;
//   - AdminGetUser ∥ AdminListGroupsForUser: the card shows the user's full
//     record and groups, and a search result has neither MFA settings nor
//     groups; the two are independent, so side by side;
//   - the outcome ∥ the card's session: the outcome (one TransactWriteItems of
//     the outcome link, the entry's conditional update and the head's) must be
//     recorded before the answer says it is done, and the card's buttons name
//     a session that must exist before anyone can click them; neither needs
//     the other, so side by side.
//
// The pool's description is cached and the user's pending deletion, when there
// is none, costs a query the product may run beside the outcome: neither is in
// the floor. The items written are copies of what a real lookup of the run
// wrote, re-keyed, into a table of their own with the audit log's schema, so
// they weigh what the product's do and disturb nothing.
type lookupFloor struct {
	b       *testing.B
	h       *bottest.Harness
	idp     *cip.Client
	tx      table.Dynamo
	entry   table.Item        // a lookup's entry as its intent wrote it
	outcome table.Item        // that lookup's outcome link
	session map[string]string // that lookup's card session
	user    string            // the username looked up
	seq     int
}

// floorTimes is one lookup's worth of floor: each phase, and their sum.
type floorTimes struct{ intent, list, read, finish, total time.Duration }

// sessionValue finds a card's session id in its buttons' values ("<id>#<n>").
var sessionValue = regexp.MustCompile(`"value":"([A-Za-z0-9_-]+)#\d+"`)

// newLookupFloor copies the items of Admin's last lookup, of user and answered
// by card, into a floor table of their own.
func newLookupFloor(b *testing.B, h *bottest.Harness, user string, card []byte) *lookupFloor {
	ctx := context.Background()
	cfg := testenv.AWSConfig(b)
	ddb := audit.NewClient(cfg)
	tables := audit.Tables{Audit: testenv.UniqueName("floor-audit"), State: testenv.UniqueName("floor-state")}
	if err := audit.Migrate(ctx, ddb, tables, nil); err != nil {
		b.Fatalf("migrating the floor's tables: %v", err)
	}
	b.Cleanup(func() {
		for _, name := range []string{tables.Audit, tables.State} {
			_, _ = ddb.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
		}
	})
	f := &lookupFloor{b: b, h: h, idp: cip.NewFromConfig(cfg), tx: table.Dynamo{API: ddb, Name: tables.Audit}, user: user}

	entries, _, err := h.Audit.ByActor(ctx, bottest.Team, bottest.Admin, 1, "")
	if err != nil || len(entries) == 0 || entries[0].Action != "lookup" {
		b.Fatalf("the last lookup's entry: %v (%v)", entries, err)
	}
	real := table.Dynamo{API: ddb, Name: h.Config.Audit.Table}
	id := entries[0].ID
	f.entry, f.outcome = f.read(real, table.EntryKey(id)), f.read(real, chain.OutcomeKey(id))
	// Back to the intent as Begin wrote it: pending, in the open index, about
	// the query as typed.
	for _, attr := range []string{"finished_at", "message", "cognito_request_id"} {
		delete(f.entry, attr)
	}
	f.entry["outcome"] = strAV(string(audit.OutcomePending))
	f.entry[table.AttrOpenPK], f.entry[table.AttrOpenSK] = strAV(table.OpenPartition), f.entry[table.AttrTargetSK]
	for _, attr := range []string{"username", "sub"} {
		if v, ok := f.entry["intent_"+attr]; ok {
			f.entry["target_"+attr] = v
		} else {
			delete(f.entry, "target_"+attr)
		}
	}

	m := sessionValue.FindSubmatch(card)
	if m == nil {
		b.Fatalf("no session in the card %s", card)
	}
	if f.session, err = h.State.GetSession(ctx, string(m[1])); err != nil {
		b.Fatalf("reading the card's session: %v", err)
	}
	head := table.Item{table.AttrPK: strAV("FLOORHEAD"), "head_seq": strAV(fmt.Sprintf("%012d", 0))}
	if err := f.tx.Create(ctx, head); err != nil {
		b.Fatalf("creating the floor's chain head: %v", err)
	}
	return f
}

func (f *lookupFloor) read(t table.Dynamo, pk string) table.Item {
	it, err := t.Get(context.Background(), pk)
	if err != nil || it == nil {
		f.b.Fatalf("reading %s: %v", pk, err)
	}
	return it
}

func strAV(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// headMove is the chain head's conditional update, as chain.Writer makes it.
func (f *lookupFloor) headMove(id string) table.TxOp {
	var c table.Change
	c.Require("head_seq", table.OpEqual, fmt.Sprintf("%012d", f.seq))
	f.seq++
	c.Set("head_seq", fmt.Sprintf("%012d", f.seq))
	c.Set("head_sk", table.FormatTime(time.Now())+fmt.Sprintf("#%012d", f.seq))
	c.Set("head_hash", strings.Repeat("f", 64))
	c.Set("head_expires", "0")
	c.Set("head_last_id", id)
	return table.TxUpdate("FLOORHEAD", c)
}

// once makes one lookup's unavoidable calls and times them.
func (f *lookupFloor) once(ctx context.Context) floorTimes {
	id := audit.NewID()
	var t floorTimes
	start := time.Now()
	entry := maps.Clone(f.entry)
	entry[table.AttrPK], entry["id"], entry[chain.AttrChainHash] = strAV(table.EntryKey(id)), strAV(id), strAV(strings.Repeat("e", 64))
	f.check("the intent", f.tx.Transact(ctx, []table.TxOp{f.headMove(id), table.TxCreate(entry)}))
	t.intent = time.Since(start)

	start = time.Now()
	_, err := f.idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(f.h.Pool.ID), Filter: aws.String(fmt.Sprintf("username = %q", f.user)), Limit: aws.Int32(10)})
	f.check("ListUsers", err)
	t.list = time.Since(start)

	start = time.Now()
	f.sideBySide(func() error {
		_, err := f.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(f.h.Pool.ID), Username: aws.String(f.user)})
		return err
	}, func() error {
		_, err := f.idp.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(f.h.Pool.ID), Username: aws.String(f.user)})
		return err
	})
	t.read = time.Since(start)

	start = time.Now()
	f.sideBySide(func() error {
		out := maps.Clone(f.outcome)
		out[table.AttrPK], out["id"] = strAV(chain.OutcomeKey(id)), strAV(id)
		var c table.Change // as audit's finish of a resolved lookup
		c.Set("target_username", f.user)
		c.SetIf("target_sub", table.StringAttr(f.entry, "intent_sub"))
		c.Require("outcome", table.OpEqual, string(audit.OutcomePending))
		c.Set("outcome", string(audit.OutcomeOK))
		c.Set("finished_at", table.FormatTime(time.Now()))
		c.Set("message", "1 match")
		c.Remove(table.AttrOpenPK)
		c.Remove(table.AttrOpenSK)
		c.Set(table.AttrTargetPK, table.StringAttr(f.entry, table.AttrTargetPK))
		return f.tx.Transact(ctx, []table.TxOp{f.headMove(id), table.TxCreate(out), table.TxUpdate(table.EntryKey(id), c)})
	}, func() error {
		return f.h.State.PutSession(ctx, audit.NewID(), f.session, 30*time.Minute)
	})
	t.finish = time.Since(start)
	t.total = t.intent + t.list + t.read + t.finish
	return t
}

// sideBySide runs both calls at once and waits for both.
func (f *lookupFloor) sideBySide(one, other func() error) {
	var wg sync.WaitGroup
	var errOther error
	wg.Go(func() { errOther = other() })
	errOne := one()
	wg.Wait()
	f.check("a call", errOne)
	f.check("a call", errOther)
}

func (f *lookupFloor) check(what string, err error) {
	if err != nil {
		f.b.Fatalf("the floor's %s: %v", what, err)
	}
}

// floorSummary is the median of each phase and of the totals.
func floorSummary(ts []floorTimes) (time.Duration, string) {
	phase := func(get func(floorTimes) time.Duration) time.Duration {
		d := make([]time.Duration, len(ts))
		for i, t := range ts {
			d[i] = get(t)
		}
		return pct(d, 50)
	}
	r := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
	total := phase(func(t floorTimes) time.Duration { return t.total })
	return total, fmt.Sprintf("intent TransactWriteItems %s + ListUsers %s + AdminGetUser ∥ AdminListGroupsForUser %s + outcome TransactWriteItems ∥ session PutItem %s",
		r(phase(func(t floorTimes) time.Duration { return t.intent })), r(phase(func(t floorTimes) time.Duration { return t.list })),
		r(phase(func(t floorTimes) time.Duration { return t.read })), r(phase(func(t floorTimes) time.Duration { return t.finish })))
}
