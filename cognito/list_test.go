package cognito

import (
	"errors"
	"testing"
)

func TestPlanList(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name   string
		f      ListFilter
		filter string
		group  string
		err    error
	}{
		{name: "none", f: ListFilter{}},
		{name: "enabled", f: ListFilter{Enabled: &yes}, filter: `status = "Enabled"`},
		{name: "disabled", f: ListFilter{Enabled: &no}, filter: `status = "Disabled"`},
		{name: "status wins over enabled", f: ListFilter{Status: "confirmed", Enabled: &no}, filter: `cognito:user_status = "CONFIRMED"`},
		{name: "prefix wins", f: ListFilter{Status: "CONFIRMED", Attribute: "family_name", Prefix: "Re"}, filter: `family_name ^= "Re"`},
		{name: "group takes no filter", f: ListFilter{Group: "ops", Attribute: "email", Prefix: "a"}, group: "ops"},
		{name: "custom attribute", f: ListFilter{Attribute: "custom:team", Prefix: "x"}, err: ErrInvalidParameter},
		{name: "unknown attribute", f: ListFilter{Attribute: "nickname", Prefix: "x"}, err: ErrInvalidParameter},
		{name: "prefix without attribute", f: ListFilter{Prefix: "x"}, err: ErrInvalidParameter},
		{name: "attribute without prefix", f: ListFilter{Attribute: "email"}, err: ErrInvalidParameter},
		{name: "quote in prefix", f: ListFilter{Attribute: "email", Prefix: `a"`}, err: ErrInvalidQuery},
		{name: "quote in client-side prefix", f: ListFilter{Group: "g", Attribute: "email", Prefix: `a"`}, err: ErrInvalidQuery},
		{name: "odd status", f: ListFilter{Status: `X" or "`}, err: ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := planList(tt.f)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || p.filter != tt.filter || p.group != tt.group {
				t.Fatalf("planList = {filter %q, group %q}, %v; want {%q, %q}", p.filter, p.group, err, tt.filter, tt.group)
			}
		})
	}
}

func TestPlanListClientSideChecks(t *testing.T) {
	no := false
	p, err := planList(ListFilter{Status: "CONFIRMED", Enabled: &no, Attribute: "email", Prefix: "a"})
	if err != nil {
		t.Fatal(err)
	}
	// The prefix went to Cognito; status and enabled are checked here.
	for _, tt := range []struct {
		u    User
		want bool
	}{
		{User{Status: "CONFIRMED", Enabled: false, Attributes: map[string]string{"email": "zzz"}}, true},
		{User{Status: "confirmed", Enabled: false}, true},
		{User{Status: "CONFIRMED", Enabled: true}, false},
		{User{Status: "FORCE_CHANGE_PASSWORD", Enabled: false}, false},
	} {
		if got := p.match(tt.u); got != tt.want {
			t.Errorf("match(%+v) = %v, want %v", tt.u, got, tt.want)
		}
	}
	g, _ := planList(ListFilter{Group: "g", Attribute: "username", Prefix: "ab"})
	if !g.match(User{Username: "abc"}) || g.match(User{Username: "xab"}) {
		t.Error("group listing does not check the username prefix client-side")
	}
}

func TestPageTokenRoundTrip(t *testing.T) {
	p := PagePos{Token: "cognito-token==", Consumed: 7, Last: "bob"}
	tok := p.Encode("fp1")
	got, err := DecodePageToken(tok, "fp1")
	if err != nil || got.Token != p.Token || got.Consumed != 7 || got.Last != "bob" {
		t.Fatalf("decode(encode(%+v)) = %+v, %v", p, got, err)
	}
	if _, err := DecodePageToken(tok, "fp2"); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("token of another listing: got %v", err)
	}
	for _, bad := range []string{"!!!", "bm90IGpzb24", PagePos{Consumed: 61}.Encode("fp1")} {
		if _, err := DecodePageToken(bad, "fp1"); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("decode(%q): got %v, want ErrInvalidParameter", bad, err)
		}
	}
	if got, err := DecodePageToken("", "fp1"); err != nil || got != (PagePos{}) {
		t.Fatalf(`decode("") = %+v, %v`, got, err)
	}
}

func TestResumeIndex(t *testing.T) {
	page := []User{{Username: "a"}, {Username: "b"}, {Username: "c"}, {Username: "d"}}
	tests := []struct {
		pos  PagePos
		want int
	}{
		{PagePos{}, 0},
		{PagePos{Consumed: 2, Last: "b"}, 2},
		{PagePos{Consumed: 3, Last: "b"}, 2}, // a user before b was deleted... or moved: trust the name
		{PagePos{Consumed: 2, Last: "gone"}, 1},
		{PagePos{Consumed: 9, Last: "gone"}, 4},
	}
	for _, tt := range tests {
		if got := tt.pos.ResumeIndex(page); got != tt.want {
			t.Errorf("ResumeIndex(%+v) = %d, want %d", tt.pos, got, tt.want)
		}
	}
}
