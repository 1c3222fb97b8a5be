package awsdir

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// TestMotoListUsersPaging creates 25 users in a mix of states and walks every
// listing to its end with small page sizes, including Cognito pages smaller
// than ours, so pages resume in the middle of a Cognito page.
func TestMotoListUsersPaging(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.group("night-shift")
	var all, disabled, confirmedEnabled, smiths, nightDisabled []string
	for i := range 25 {
		name := fmt.Sprintf("user%02d", i)
		family := "Jones"
		if i%4 == 0 {
			family = "Smith"
			smiths = append(smiths, name)
		}
		if i%2 == 0 {
			f.confirmed(name, "family_name", family)
		} else {
			f.invite(name, "family_name", family)
		}
		off := i%3 == 0
		if off {
			f.disable(name)
			disabled = append(disabled, name)
		} else if i%2 == 0 {
			confirmedEnabled = append(confirmedEnabled, name)
		}
		if i%5 == 0 {
			f.addToGroup(name, "night-shift")
			if off {
				nightDisabled = append(nightDisabled, name)
			}
		}
		all = append(all, name)
	}
	yes, no := true, false
	listings := []struct {
		name string
		f    cognito.ListFilter
		want []string
	}{
		{"all", cognito.ListFilter{}, all},
		{"disabled (server-side)", cognito.ListFilter{Enabled: &no}, disabled},
		{"confirmed and enabled (enabled client-side)", cognito.ListFilter{Status: "confirmed", Enabled: &yes}, confirmedEnabled},
		{"family prefix (server-side)", cognito.ListFilter{Attribute: "family_name", Prefix: "Smi"}, smiths},
		{"group, disabled client-side", cognito.ListFilter{Group: "night-shift", Enabled: &no}, nightDisabled},
	}
	limits := map[int32][]int{60: {4, 10}, 7: {1, 4}} // Cognito page size → our limits
	for _, pageSize := range []int32{60, 7} {
		for _, l := range listings {
			for _, limit := range limits[pageSize] {
				t.Run(fmt.Sprintf("%s/cognito%d/limit%d", l.name, pageSize, limit), func(t *testing.T) {
					f.dir.listPageSize = pageSize
					got := listAllPages(t, f.dir, f.pool, l.f, limit)
					if strings.Join(sortedCopy(got), ",") != strings.Join(l.want, ",") {
						t.Fatalf("listed %v\nwant   %v", got, l.want)
					}
				})
			}
		}
	}
	f.dir.listPageSize = cognito.MaxPageSize

	p, err := f.dir.ListUsers(f.ctx, f.pool, cognito.ListFilter{}, 4, "")
	if err != nil || p.NextToken == "" {
		t.Fatalf("first page: %v, %v", p, err)
	}
	if _, err := f.dir.ListUsers(f.ctx, f.pool, cognito.ListFilter{Enabled: &no}, 4, p.NextToken); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Fatalf("token reused with another filter: got %v", err)
	}
	if _, err := f.dir.ListUsers(f.ctx, f.pool, cognito.ListFilter{Attribute: "custom:team", Prefix: "x"}, 4, ""); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Fatalf("custom attribute filter: got %v", err)
	}
	if _, err := f.dir.ListUsers(f.ctx, f.pool, cognito.ListFilter{Attribute: "email", Prefix: `a"b`}, 4, ""); !errors.Is(err, cognito.ErrInvalidQuery) {
		t.Fatalf("quote in prefix: got %v", err)
	}
	if _, err := f.dir.ListUsers(f.ctx, f.pool, cognito.ListFilter{Group: "no-such-group"}, 4, ""); !errors.Is(err, cognito.ErrGroupNotFound) {
		t.Fatalf("unknown group: got %v, want ErrGroupNotFound", err)
	}
	if _, err := f.dir.ListUsers(f.ctx, f.missingPool(), cognito.ListFilter{}, 4, ""); !errors.Is(err, cognito.ErrPoolNotFound) {
		t.Fatalf("unknown pool: got %v, want ErrPoolNotFound", err)
	}
}

func TestMotoGroups(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.confirmed("lee")
	f.group("support")
	f.group("admins")
	clk := newFakeClock()
	d := newDirectory(sdkClients(f.cfg), Options{Logger: zaptest.NewLogger(t)}, clk.clock())

	g, err := d.ListGroups(f.ctx, f.pool)
	if err != nil || strings.Join(g, ",") != "admins,support" {
		t.Fatalf("ListGroups = %v, %v", g, err)
	}
	f.group("auditors")
	if g, _ := d.ListGroups(f.ctx, f.pool); strings.Join(g, ",") != "admins,support" {
		t.Fatalf("cached ListGroups = %v", g)
	}
	clk.Advance(defaultCacheTTL + time.Second)
	if g, _ := d.ListGroups(f.ctx, f.pool); strings.Join(g, ",") != "admins,auditors,support" {
		t.Fatalf("ListGroups after TTL = %v", g)
	}
	if _, err := d.ListGroups(f.ctx, f.missingPool()); !errors.Is(err, cognito.ErrPoolNotFound) {
		t.Fatalf("unknown pool: got %v", err)
	}

	if _, err := d.AddToGroup(f.ctx, f.pool, "lee", "support"); err != nil {
		t.Fatal(err)
	}
	if u, _ := d.GetUser(f.ctx, f.pool, "lee"); strings.Join(u.Groups, ",") != "support" {
		t.Fatalf("after add: groups %v", u.Groups)
	}
	members, err := d.ListUsers(f.ctx, f.pool, cognito.ListFilter{Group: "support"}, 10, "")
	if err != nil || len(members.Users) != 1 || members.Users[0].Username != "lee" {
		t.Fatalf("members of support: %+v, %v", members, err)
	}
	if _, err := d.RemoveFromGroup(f.ctx, f.pool, "lee", "support"); err != nil {
		t.Fatal(err)
	}
	if u, _ := d.GetUser(f.ctx, f.pool, "lee"); len(u.Groups) != 0 {
		t.Fatalf("after remove: groups %v", u.Groups)
	}
	for name, err := range map[string]error{
		"add unknown group":    second(d.AddToGroup(f.ctx, f.pool, "lee", "nope")),
		"remove unknown group": second(d.RemoveFromGroup(f.ctx, f.pool, "lee", "nope")),
		"add unknown pool":     second(d.AddToGroup(f.ctx, f.missingPool(), "lee", "support")),
	} {
		want := cognito.ErrGroupNotFound
		if strings.Contains(name, "pool") {
			want = cognito.ErrPoolNotFound
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", name, err, want)
		}
	}
	if _, err := d.AddToGroup(f.ctx, f.pool, "nobody", "support"); !errors.Is(err, cognito.ErrUserNotFound) {
		t.Errorf("add unknown user: got %v", err)
	}
	if _, err := d.RemoveFromGroup(f.ctx, f.pool, "nobody", "support"); !errors.Is(err, cognito.ErrUserNotFound) {
		t.Errorf("remove unknown user: got %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestMotoPoolInAnotherRegion checks that the pool ID picks the Region: a pool
// created in eu-west-1 is found through an eu-west-1 client although the
// aws.Config says us-east-1, and the same suffix in us-east-1 is not a pool.
func TestMotoPoolInAnotherRegion(t *testing.T) {
	t.Parallel()
	base := newFixture(t)
	f := newFixtureIn(t, base.cfg, "eu-west-1")
	if !strings.HasPrefix(f.pool, "eu-west-1_") {
		t.Fatalf("pool %s not in eu-west-1", f.pool)
	}
	f.confirmed("mia", "email", "mia@example.com")
	u, err := base.dir.GetUser(f.ctx, f.pool, "mia")
	if err != nil || u.Email != "mia@example.com" {
		t.Fatalf("GetUser in eu-west-1: %+v, %v", u, err)
	}
	other := "us-east-1_" + strings.TrimPrefix(f.pool, "eu-west-1_")
	if _, err := base.dir.GetUser(f.ctx, other, "mia"); !errors.Is(err, cognito.ErrPoolNotFound) {
		t.Fatalf("same ID in us-east-1: got %v, want ErrPoolNotFound", err)
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
