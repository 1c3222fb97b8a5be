package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/chain"
)

// Anchor reads every chain's head, records their digest as the entry id (an
// "audit-anchor" entry, itself chained) and returns it. A second Anchor with the same
// id returns ErrDuplicate: the id names the period, so replicas anchor it once.
func (l *logCore) Anchor(ctx context.Context, id string) (chain.Anchor, error) {
	hs, err := chain.ReadHeads(ctx, l.t)
	if err != nil {
		return chain.Anchor{}, fmt.Errorf("anchoring the audit chain: %w", err)
	}
	a := chain.Anchor{ID: id, Time: l.opts.Clock()}
	params := map[string]string{}
	for _, h := range hs {
		if !h.Exists {
			continue
		}
		ah := chain.AnchorHead{Shard: h.Shard, SK: h.SK, Hash: h.Hash, Expires: h.Expires}
		a.Heads = append(a.Heads, ah)
		params[chain.HeadParam(h.Shard)] = strings.Join([]string{ah.SK, ah.Hash, ah.Expires}, " ")
	}
	a.Digest = chain.AnchorDigest(a.Heads)
	params["digest"] = a.Digest
	err = l.Record(ctx, Entry{
		ID: id, Time: a.Time, Action: chain.AnchorAction, Actor: Actor{Name: "cognito-bot"},
		Decision: Allowed, Outcome: OutcomeOK, Params: params,
		Message: fmt.Sprintf("anchored %d chains, digest %s", len(a.Heads), a.Digest),
	})
	if err != nil {
		return chain.Anchor{}, fmt.Errorf("anchoring the audit chain: %w", err)
	}
	return a, nil
}

// Verify reads every chain in order (a page at a time, so memory stays the same
// however long the log) and checks each link's hash, that each link follows its
// predecessor, that each intent's outcome is the one its outcome link holds, that
// every anchor found still matches the chains, and that the chains end where their
// heads say. Then it scans the table for entries without a link: those older than
// the chain are counted as before the chain, later ones are breaks. It returns an
// error only when the log cannot be read; breaks are reported, not errors.
func (l *logCore) Verify(ctx context.Context, opts chain.VerifyOptions) (chain.VerifyReport, error) {
	return chain.Verify(ctx, l.t, l.opts.Clock(), opts)
}

// Export calls emit for every link (entries and outcomes) whose chain time is at or
// after since and before until (zero: no bound), oldest first, reading all chains
// at once a page at a time so memory stays the same however many there are. It
// stops at emit's first error and returns it. Entries from before the chain
// existed are not in any chain and are not exported.
func (l *logCore) Export(ctx context.Context, since, until time.Time, emit func(chain.ExportRecord) error) error {
	return chain.Export(ctx, l.t, since, until, emit)
}
