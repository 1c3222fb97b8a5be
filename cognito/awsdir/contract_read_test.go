package awsdir_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

func TestContractGetUser(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "alice", Email: "alice@example.com", EmailVerified: true,
			Phone: "+15555550100", Attributes: map[string]string{"custom:team": "ops"}, Groups: []string{"support", "admins"}})
		u, err := b.dir.GetUser(b.ctx, b.pool, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "alice" || u.Email != "alice@example.com" || !u.EmailVerified || u.Phone != "+15555550100" ||
			u.PhoneVerified || u.Status != "CONFIRMED" || !u.Enabled {
			t.Fatalf("GetUser = %+v", u)
		}
		if !awsdir.SubPattern.MatchString(u.Sub) || u.Attributes["custom:team"] != "ops" || u.Created.IsZero() || u.Modified.IsZero() {
			t.Fatalf("sub %q, attributes %v, created %v", u.Sub, u.Attributes, u.Created)
		}
		if strings.Join(u.Groups, ",") != "admins,support" {
			t.Fatalf("Groups = %v, want sorted admins,support", u.Groups)
		}
		if u.MFAMethods == nil || len(u.MFAMethods) != 0 || u.PreferredMFA != "" {
			t.Fatalf("MFA = %v %q", u.MFAMethods, u.PreferredMFA)
		}
		if _, err := b.dir.GetUser(b.ctx, b.pool, "nobody"); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("unknown user: got %v, want ErrUserNotFound", err)
		}
		if _, err := b.dir.GetUser(b.ctx, b.missingPool, "alice"); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v, want ErrPoolNotFound", err)
		}
		if _, err := b.dir.GetUser(b.ctx, "alice", "alice"); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("malformed pool: got %v, want ErrInvalidParameter", err)
		}
	})
}

func TestContractFindUsers(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "alice", Email: "alice@example.com", Phone: "+15555550100"})
		b.seed(t, memdir.SeedUser{Username: "bob", Email: "shared@example.com"})
		b.seed(t, memdir.SeedUser{Username: "alice2", Email: "shared@example.com"})
		b.seed(t, memdir.SeedUser{Username: "Carol", Email: "Carol@Example.com", Status: "FORCE_CHANGE_PASSWORD"})
		alice, err := b.dir.GetUser(b.ctx, b.pool, "alice")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			query string
			max   int
			want  string // usernames in the order returned
		}{
			{"alice@example.com", 0, "alice"},
			{"  ALICE@example.com ", 0, "alice"},
			{"+1 555 555 0100", 0, "alice"},
			{strings.ToUpper(alice.Sub), 0, "alice"},
			{"alice", 0, "alice"}, // exact username: not alice2
			{"shared@example.com", 0, "alice2,bob"},
			{"shared@example.com", 1, "alice2"}, // sorted, then capped
			{"Carol@Example.com", 0, "Carol"},   // found on the as-typed retry
			{"nobody@example.com", 0, ""},
		} {
			got, err := b.dir.FindUsers(b.ctx, b.pool, tt.query, tt.max)
			if err != nil {
				t.Errorf("FindUsers(%q): %v", tt.query, err)
				continue
			}
			if names := inOrder(got); names != tt.want {
				t.Errorf("FindUsers(%q, %d) = %s, want %s", tt.query, tt.max, names, tt.want)
			}
			if got == nil {
				t.Errorf("FindUsers(%q) = nil, want an empty slice", tt.query)
			}
		}
		for _, q := range []string{`a"b`, `x" or email ^= "`, `back\slash@x.com`, "+1 555 CALL", "  "} {
			if _, err := b.dir.FindUsers(b.ctx, b.pool, q, 0); !errors.Is(err, cognito.ErrInvalidQuery) {
				t.Errorf("FindUsers(%q): got %v, want ErrInvalidQuery", q, err)
			}
		}
		if _, err := b.dir.FindUsers(b.ctx, b.pool, "bob", -1); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("negative max: got %v", err)
		}
		if _, err := b.dir.FindUsers(b.ctx, b.missingPool, "bob", 0); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v, want ErrPoolNotFound", err)
		}
	})
}

func TestContractListUsers(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		var all, disabled, confirmedEnabled, smiths, supportDisabled []string
		for i := range 13 {
			name := fmt.Sprintf("user%02d", i)
			u := memdir.SeedUser{Username: name, Attributes: map[string]string{"family_name": "Jones"}, Status: "FORCE_CHANGE_PASSWORD"}
			if i%4 == 0 {
				u.Attributes["family_name"] = "Smith"
				smiths = append(smiths, name)
			}
			if i%2 == 0 {
				u.Status = "CONFIRMED"
			}
			u.Disabled = i%3 == 0
			if u.Disabled {
				disabled = append(disabled, name)
			} else if i%2 == 0 {
				confirmedEnabled = append(confirmedEnabled, name)
			}
			if i%5 == 0 {
				u.Groups = []string{"support"}
				if u.Disabled {
					supportDisabled = append(supportDisabled, name)
				}
			}
			b.seed(t, u)
			all = append(all, name)
		}
		yes, no := true, false
		for _, l := range []struct {
			name string
			f    cognito.ListFilter
			want []string
		}{
			{"all", cognito.ListFilter{}, all},
			{"disabled", cognito.ListFilter{Enabled: &no}, disabled},
			{"confirmed (any case) and enabled", cognito.ListFilter{Status: "confirmed", Enabled: &yes}, confirmedEnabled},
			{"family prefix", cognito.ListFilter{Attribute: "family_name", Prefix: "Smi"}, smiths},
			{"group and disabled", cognito.ListFilter{Group: "support", Enabled: &no}, supportDisabled},
			{"empty group", cognito.ListFilter{Group: "admins"}, nil},
		} {
			for _, limit := range []int{1, 4, 60} {
				got := walkPages(t, b, l.f, limit)
				if strings.Join(sortedCopy(got), ",") != strings.Join(l.want, ",") {
					t.Errorf("%s, limit %d: listed %v, want %v", l.name, limit, got, l.want)
				}
			}
		}
		p, err := b.dir.ListUsers(b.ctx, b.pool, cognito.ListFilter{}, 4, "")
		if err != nil || p.NextToken == "" || len(p.Users) != 4 {
			t.Fatalf("first page: %+v, %v", p, err)
		}
		for _, tc := range []struct {
			name  string
			f     cognito.ListFilter
			limit int
			token string
			want  error
		}{
			{"token of another listing", cognito.ListFilter{Enabled: &no}, 4, p.NextToken, cognito.ErrInvalidParameter},
			{"malformed token", cognito.ListFilter{}, 4, "not a token", cognito.ErrInvalidParameter},
			{"limit 0", cognito.ListFilter{}, 0, "", cognito.ErrInvalidParameter},
			{"limit 61", cognito.ListFilter{}, 61, "", cognito.ErrInvalidParameter},
			{"custom attribute", cognito.ListFilter{Attribute: "custom:team", Prefix: "x"}, 4, "", cognito.ErrInvalidParameter},
			{"attribute without prefix", cognito.ListFilter{Attribute: "email"}, 4, "", cognito.ErrInvalidParameter},
			{"bad status", cognito.ListFilter{Status: "NOT A STATUS"}, 4, "", cognito.ErrInvalidParameter},
			{"quote in prefix", cognito.ListFilter{Attribute: "email", Prefix: `a"b`}, 4, "", cognito.ErrInvalidQuery},
			{"unknown group", cognito.ListFilter{Group: "no-such-group"}, 4, "", cognito.ErrGroupNotFound},
		} {
			if _, err := b.dir.ListUsers(b.ctx, b.pool, tc.f, tc.limit, tc.token); !errors.Is(err, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			}
		}
		if _, err := b.dir.ListUsers(b.ctx, b.missingPool, cognito.ListFilter{}, 4, ""); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v, want ErrPoolNotFound", err)
		}
	})
}

// walkPages lists every page of a listing and returns the usernames in order,
// failing on a duplicate or a page larger than limit.
func walkPages(t *testing.T, b *backend, f cognito.ListFilter, limit int) []string {
	t.Helper()
	var names []string
	seen := map[string]bool{}
	token := ""
	for range 100 {
		p, err := b.dir.ListUsers(b.ctx, b.pool, f, limit, token)
		if err != nil {
			t.Fatalf("ListUsers(%+v, %d): %v", f, limit, err)
		}
		if len(p.Users) > limit {
			t.Fatalf("page of %d users for limit %d", len(p.Users), limit)
		}
		for _, u := range p.Users {
			if seen[u.Username] {
				t.Fatalf("%s listed twice", u.Username)
			}
			seen[u.Username] = true
			names = append(names, u.Username)
		}
		if p.NextToken == "" {
			return names
		}
		token = p.NextToken
	}
	t.Fatal("listing did not end after 100 pages")
	return nil
}

// inOrder returns the usernames as returned, comma-separated.
func inOrder(users []cognito.User) string {
	names := make([]string, 0, len(users))
	for _, u := range users {
		names = append(names, u.Username)
	}
	return strings.Join(names, ",")
}

func TestContractGroups(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "lee"})
		g, err := b.dir.ListGroups(b.ctx, b.pool)
		if err != nil || strings.Join(g, ",") != "admins,support" {
			t.Fatalf("ListGroups = %v, %v", g, err)
		}
		if _, err := b.dir.ListGroups(b.ctx, b.missingPool); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v", err)
		}
		for range 2 { // adding twice is no error
			if res, err := b.dir.AddToGroup(b.ctx, b.pool, "lee", "support"); err != nil || res.RequestID == "" {
				t.Fatalf("AddToGroup = %+v, %v", res, err)
			}
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "lee"); u == nil || strings.Join(u.Groups, ",") != "support" {
			t.Fatalf("after add: %+v", u)
		}
		members, err := b.dir.ListUsers(b.ctx, b.pool, cognito.ListFilter{Group: "support"}, 10, "")
		if err != nil || inOrder(members.Users) != "lee" {
			t.Fatalf("members of support: %+v, %v", members, err)
		}
		if _, err := b.dir.RemoveFromGroup(b.ctx, b.pool, "lee", "support"); err != nil {
			t.Fatal(err)
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "lee"); u == nil || len(u.Groups) != 0 {
			t.Fatalf("after remove: %+v", u)
		}
		for name, tc := range map[string]struct {
			err  error
			want error
		}{
			"add unknown group":    {second(b.dir.AddToGroup(b.ctx, b.pool, "lee", "nope")), cognito.ErrGroupNotFound},
			"remove unknown group": {second(b.dir.RemoveFromGroup(b.ctx, b.pool, "lee", "nope")), cognito.ErrGroupNotFound},
			"add unknown pool":     {second(b.dir.AddToGroup(b.ctx, b.missingPool, "lee", "support")), cognito.ErrPoolNotFound},
			"add unknown user":     {second(b.dir.AddToGroup(b.ctx, b.pool, "nobody", "support")), cognito.ErrUserNotFound},
			"remove unknown user":  {second(b.dir.RemoveFromGroup(b.ctx, b.pool, "nobody", "support")), cognito.ErrUserNotFound},
			"add empty group":      {second(b.dir.AddToGroup(b.ctx, b.pool, "lee", "")), cognito.ErrInvalidParameter},
		} {
			if !errors.Is(tc.err, tc.want) {
				t.Errorf("%s: got %v, want %v", name, tc.err, tc.want)
			}
		}
	})
}

func TestContractDescribePool(t *testing.T) {
	spec := contractSpec()
	spec.UsernameAttributes = []string{"email"}
	spec.MFA = "OFF"
	spec.TemporaryPasswordValidityDays = 3
	contract(t, spec, func(t *testing.T, b *backend) {
		info, err := b.dir.DescribePool(b.ctx, b.pool)
		if err != nil {
			t.Fatal(err)
		}
		if info.ID != b.pool || info.Name == "" || info.MFA != "OFF" || strings.Join(info.UsernameAttributes, ",") != "email" ||
			len(info.AliasAttributes) != 0 || info.TemporaryPasswordValidityDays != 3 {
			t.Fatalf("DescribePool = %+v", info)
		}
		if _, err := b.dir.DescribePool(b.ctx, b.missingPool); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v", err)
		}
		if _, err := b.dir.DescribePool(b.ctx, "nope"); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("malformed pool: got %v", err)
		}
	})
}
