package chain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// AnchorAction is the action of the entries that record an anchor.
const AnchorAction = "audit-anchor"

// Anchor is a digest of every chain's head at one moment, recorded as its own audit
// entry and posted outside the table (to Slack). Someone able to rewrite the table
// can rebuild the chains after a change, but not the copies already posted, so a
// rewrite of anything older than the newest posted anchor shows up.
type Anchor struct {
	// ID is the anchor entry's id.
	ID string
	// Time is when it was taken.
	Time time.Time
	// Digest is SHA-256, in hex, over the heads.
	Digest string
	// Heads are the chains' last links, for the chains that have any.
	Heads []AnchorHead
}

// AnchorHead is one chain's last link as an anchor records it.
type AnchorHead struct {
	Shard int
	// SK is the link's place in its chain (chain time and position).
	SK string
	// Hash is the link's hash.
	Hash string
	// Expires is when the link's retention ends (epoch seconds, "0" never).
	Expires string
}

// HeadParam is the anchor entry's parameter holding one chain's head.
func HeadParam(shard int) string { return "chain." + strconv.Itoa(shard) }

// AnchorDigest is the digest over heads, in shard order.
func AnchorDigest(heads []AnchorHead) string {
	h := sha256.New()
	h.Write([]byte(hashVersion + "\n"))
	for _, a := range heads {
		fmt.Fprintf(h, "%d %s %s\n", a.Shard, a.SK, a.Hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// anchorOf reads an anchor back from its entry.
func anchorOf(e EntryItem) Anchor {
	a := Anchor{ID: e.ID, Time: table.ParseTime(e.Time), Digest: e.Params["digest"]}
	for shard := range ChainShards {
		parts := strings.Fields(e.Params[HeadParam(shard)])
		if len(parts) == 3 {
			a.Heads = append(a.Heads, AnchorHead{Shard: shard, SK: parts[0], Hash: parts[1], Expires: parts[2]})
		}
	}
	return a
}

// anchor checks that every head an anchor recorded is still in its chain with the
// same hash (or has since expired).
func (v *verifier) anchor(ctx context.Context, e EntryItem) error {
	v.rep.Anchors++
	a := anchorOf(e)
	ok := AnchorDigest(a.Heads) == a.Digest
	if !ok {
		v.report(Break{ID: a.ID, Time: a.Time, Kind: BreakChanged, Detail: "the anchor's digest does not match the heads it lists"})
	}
	for _, h := range a.Heads {
		items, _, err := v.t.Query(ctx, table.IndexQuery{Index: table.IndexByChain, PKAttr: table.AttrChainPK, SKAttr: table.AttrChainSK,
			Partition: Partition(h.Shard), Exact: h.SK, Limit: 2})
		if err != nil {
			return table.Unavailable(err)
		}
		_, seq, _ := ParseSortKey(h.SK)
		switch {
		case len(items) == 0 && v.expired(h.Expires):
		case len(items) == 0:
			ok = false
			v.report(Break{ID: a.ID, Time: a.Time, Kind: BreakMissingPredecessor,
				Detail: fmt.Sprintf("position %d of chain %d, which this anchor recorded, is gone", seq, h.Shard)})
		case table.StringAttr(items[0], AttrChainHash) != h.Hash:
			ok = false
			v.report(Break{ID: table.StringAttr(items[0], "id"), Time: a.Time, Kind: BreakChanged,
				Detail: fmt.Sprintf("position %d of chain %d differs from what the anchor %s recorded", seq, h.Shard, a.ID)})
		}
	}
	if v.opts.OnAnchor != nil {
		v.opts.OnAnchor(a, ok)
	}
	return nil
}
