package cognito

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Page is one page of ListUsers.
type Page struct {
	Users []User
	// NextToken resumes the listing after the last user of this page; it is
	// opaque and "" on the last page.
	NextToken string
}

// PagePos is a position inside a listing: a Cognito page and how far into it.
type PagePos struct {
	Token    string `json:"t,omitempty"` // Cognito token of the page, "" for the first
	Consumed int    `json:"n,omitempty"` // users of that page already consumed
	Last     string `json:"u,omitempty"` // username of the last consumed user
	Listing  string `json:"f"`           // fingerprint of pool + filter
}

func (p PagePos) Encode(fingerprint string) string {
	p.Listing = fingerprint
	b, _ := json.Marshal(p) // cannot fail: strings and an int
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodePageToken parses a NextToken issued for the listing with fingerprint fp;
// "" is the start of the listing.
func DecodePageToken(tok, fp string) (PagePos, error) {
	if tok == "" {
		return PagePos{}, nil
	}
	var p PagePos
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil || p.Consumed < 0 || p.Consumed > MaxPageSize {
		return PagePos{}, fmt.Errorf("%w: malformed page token", ErrInvalidParameter)
	}
	if p.Listing != fp {
		return PagePos{}, fmt.Errorf("%w: page token belongs to a different listing", ErrInvalidParameter)
	}
	return p, nil
}

// ResumeIndex is where to continue in a re-read page: just after the last
// consumed user, found by username first and by count if it is gone.
func (p PagePos) ResumeIndex(raw []User) int {
	if p.Consumed == 0 {
		return 0
	}
	if p.Consumed <= len(raw) && raw[p.Consumed-1].Username == p.Last {
		return p.Consumed
	}
	for i, u := range raw {
		if u.Username == p.Last {
			return i + 1
		}
	}
	// The last consumed user was deleted meanwhile, so the rest moved up one.
	return min(p.Consumed-1, len(raw))
}

// ListArgs checks ListUsers' arguments the same way for both directories and
// plans the listing.
func ListArgs(f ListFilter, limit int) (ListPlan, error) {
	if limit < 1 || limit > MaxPageSize {
		return ListPlan{}, fmt.Errorf("listing users: %w: limit %d not in 1..%d", ErrInvalidParameter, limit, MaxPageSize)
	}
	plan, err := planList(f)
	if err != nil {
		return ListPlan{}, fmt.Errorf("listing users: %w", err)
	}
	return plan, nil
}
