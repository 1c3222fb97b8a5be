package audit

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

func toEntryItem(e Entry) chain.EntryItem {
	it := chain.EntryItem{
		PK:               table.EntryKey(e.ID),
		ID:               e.ID,
		Time:             table.FormatTime(e.Time),
		ActorUserID:      e.Actor.UserID,
		ActorTeamID:      e.Actor.TeamID,
		ActorName:        Truncate(e.Actor.Name, MaxParamValue),
		ActorWorkspace:   e.Actor.Workspace,
		Channel:          e.Channel,
		Action:           e.Action,
		TargetPool:       e.Target.Pool,
		TargetUsername:   e.Target.Username,
		TargetSub:        e.Target.Sub,
		Params:           SanitizeParams(e.Params),
		Decision:         string(e.Decision),
		DenyReason:       Truncate(e.DenyReason, MaxText),
		Outcome:          string(e.Outcome),
		Message:          Truncate(e.Message, MaxText),
		SlackRef:         e.SlackRef,
		CognitoRequestID: e.CognitoRequestID,
		ApprovalID:       e.ApprovalID,
		Reason:           Truncate(e.Reason, MaxText),
		FinishedAt:       table.FormatTime(e.FinishedAt),
		Deadline:         table.FormatTime(e.Deadline),
		TTL:              e.ExpiresAt,
	}
	if e.Target.Username != "" {
		it.TargetPK = table.TargetKey(e.Target.Pool, e.Target.Username)
		it.TargetSK = table.SortKey(e.Time, e.ID)
	}
	if e.Actor.UserID != "" && e.Actor.TeamID != "" {
		it.ActorPK = table.ActorKey(e.Actor.TeamID, e.Actor.UserID)
		it.ActorSK = table.SortKey(e.Time, e.ID)
	}
	if e.Outcome == OutcomePending {
		due := e.Time
		if !e.Deadline.IsZero() {
			due = e.Deadline
		}
		it.OpenPK, it.OpenSK = table.OpenPartition, table.SortKey(due, e.ID)
	}
	return it
}

// entryOf decodes a stored entry.
func entryOf(it chain.EntryItem) Entry {
	return Entry{
		ID:               it.ID,
		Time:             table.ParseTime(it.Time),
		Actor:            Actor{UserID: it.ActorUserID, TeamID: it.ActorTeamID, Name: it.ActorName, Workspace: it.ActorWorkspace},
		Channel:          it.Channel,
		Action:           it.Action,
		Target:           Target{Pool: it.TargetPool, Username: it.TargetUsername, Sub: it.TargetSub},
		Params:           it.Params,
		Decision:         Decision(it.Decision),
		DenyReason:       it.DenyReason,
		Outcome:          Outcome(it.Outcome),
		Message:          it.Message,
		SlackRef:         it.SlackRef,
		CognitoRequestID: it.CognitoRequestID,
		ApprovalID:       it.ApprovalID,
		Reason:           it.Reason,
		FinishedAt:       table.ParseTime(it.FinishedAt),
		Deadline:         table.ParseTime(it.Deadline),
		ExpiresAt:        table.UTCOrZero(it.TTL),
		Chain:            linkOf(it.Attrs),
	}
}

func unmarshalEntry(av map[string]types.AttributeValue) (Entry, error) {
	var it chain.EntryItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return Entry{}, fmt.Errorf("decoding audit entry: %w", err)
	}
	return entryOf(it), nil
}

// Link is a record's place in the hash chain, as export writes it so a receiver
// can recompute every hash (the field list is in the README, "Exporting to a SIEM").
type Link struct {
	// Shard is the chain (0 … ChainShards-1).
	Shard int
	// Seq is the position in the chain, from 1.
	Seq uint64
	// At is the chain time: never earlier than the previous link's.
	At time.Time
	// Kind is "intent" (an entry written before the action), "record" (an entry
	// complete when written) or "outcome" (the result of an intent).
	Kind string
	// Prev is the previous link's hash ("" for a chain's first link).
	Prev string
	// PrevExpires is when the previous link's retention ends, in epoch seconds ("0"
	// for never): a predecessor missing after that was removed by retention.
	PrevExpires string
	// PrevID is the id of the previous link's entry, to name it should it go missing.
	PrevID string
	// Hash is SHA-256, in hex, over the link's fields and its content.
	Hash string
}

// link decodes stored chain attributes; zero when there are none.
func linkOf(c chain.Attrs) Link {
	if c.ChainPK == "" {
		return Link{}
	}
	shard, _ := strconv.Atoi(strings.TrimPrefix(c.ChainPK, "CHAIN#"))
	at, seq, _ := chain.ParseSortKey(c.ChainSK)
	return Link{Shard: shard, Seq: seq, At: at, Kind: c.ChainKind, Prev: c.ChainPrev, PrevExpires: c.ChainPrevExpires, PrevID: c.ChainPrevID, Hash: c.ChainHash}
}
