// Package auditid builds every audit entry id, in one place.
//
// An id is deterministic: it is made from what identifies the attempt — the
// Slack interaction's ref, a pending action's id, a job and a target's index,
// a schedule — never from a clock or a random number. The audit log writes an
// entry only when its id is new (a conditional write), so a Slack retry of the
// same envelope, a second replica handling the same interaction or a runner
// taking over a job finds the entry already there and does nothing twice. The
// same determinism lets the bot find an entry again later: the sweeper closes
// the "exec#<pending id>" intent a stopped replica left open, the bulk runner
// settles "bulk#<job>#<n>" after a takeover, a schedule's run is looked up by
// "sched#<schedule id>".
//
// The strings are stored data: entries written by an earlier version are looked
// up by these ids, so no constructor's output may ever change (auditid_test.go
// pins each one byte for byte). Every id starts with a prefix naming what it
// records, then '#'; no two purposes share a prefix (also tested).
package auditid

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// Kind is what an audited step records; its value is the prefix of the id.
// Each kind says which constructor builds its ids.
type Kind string

// The kinds of step audited once per Slack interaction (ForRequest) or per
// schedule (ForSchedule).
const (
	// Find resolves a typed or stored user reference to one user (ForRequest
	// with the action and the reference's key).
	Find Kind = "find"
	// NotApplicable refuses an action that does not apply to the user found
	// (ForRequest with the action).
	NotApplicable Kind = "na"
	// Ask refuses a single-user request the policy denied when asked, or one
	// whose card could not show the values whole (ForRequest with the action).
	Ask Kind = "ask"
	// At refuses a request whose "at" time is bad (ForRequest).
	At Kind = "at"
	// Undo is an undo: refused when nothing can be undone (ForRequest), or the
	// undo of a scheduled delete (ForAttempt of ForSchedule, so each click is
	// its own attempt; its two '#' keep it apart from the ForRequest form).
	Undo Kind = "undo"
	// BulkPlan is a bulk job's dry run: the users it would act on (ForRequest).
	BulkPlan Kind = "bulkplan"
	// BulkAsk refuses a bulk job the policy denied when asked (ForRequest).
	BulkAsk Kind = "bulkask"
	// ImportAsk refuses an import the policy denied when asked (ForRequest).
	ImportAsk Kind = "importask"
	// ImportCheck checks an import's rows against the pool (ForRequest).
	ImportCheck Kind = "importcheck"
	// Audit reads the audit log about a subject (ForRequest with the subject
	// and, for a further page, the cursor).
	Audit Kind = "audit"
	// AuditVerify verifies the audit chain over a window (ForRequest with the
	// window).
	AuditVerify Kind = "audit-verify"
	// List lists a pool's users (ForRequest with the page number).
	List Kind = "list"
	// Help shows the help (ForRequest).
	Help Kind = "help"
	// Pools lists the configured pools (ForRequest).
	Pools Kind = "pools"
	// Home renders the App Home tab (ForRequest).
	Home Kind = "home"
	// Groups reads a user's groups (ForRequest with the username).
	Groups Kind = "groups"
	// Create creates a user (ForRequest with the username).
	Create Kind = "create"
	// Schema reads a pool's schema for an action (ForRequest with the action
	// and the username).
	Schema Kind = "schema"
	// Export is a request to export a pool's users (ForRequest).
	Export Kind = "export"
	// ScheduleList lists the scheduled actions (ForRequest).
	ScheduleList Kind = "sched-list"
	// ScheduleRun runs a scheduled action (ForSchedule).
	ScheduleRun Kind = "sched"
	// ScheduleCancel cancels a scheduled action (ForSchedule).
	ScheduleCancel Kind = "sched-cancel"
	// ScheduleBreakGlass notes in the break-glass index how a break-glass
	// request's schedule ended at its time (ForSchedule).
	ScheduleBreakGlass Kind = "sched-break-glass"
)

// The fixed prefixes of the ids that are not of a Kind.
const (
	// jobTargetPrefix starts a bulk target's id; a whole job's steps are
	// "bulk" followed by their phase.
	jobTargetPrefix = "bulk"
	denyPrefix      = "deny"
	anchorPrefix    = "anchor"
	// execPhase is the phase of a pending action's execution.
	execPhase = "exec"
)

// ForRequest is the id of a step of kind k taken for one Slack interaction:
// ref is the request's Ref (the same across Slack's redeliveries of it) and
// parts tell apart the steps of one kind an interaction may take.
func ForRequest(k Kind, ref string, parts ...string) string {
	return string(k) + "#" + Hash(append([]string{ref}, parts...)...)
}

// ForSchedule is the id of a step of kind k on a scheduled action.
func ForSchedule(k Kind, scheduleID string) string { return string(k) + "#" + scheduleID }

// ForPending is the id of a step of pending action pendingID in phase (the
// "phase" recorded with the step: request, cancel, reject, expire, exec,
// break-glass, caller-verified, remind…). The reminder's and the escalation's
// once-claims use it as their key too (state.Once, a namespace of its own), so
// each happens once per pending action. A phase is never a Kind's prefix.
func ForPending(phase, pendingID string) string { return phase + "#" + pendingID }

// ForExec is the id of pending action pendingID's execution — confirmed,
// approved, broken-glass or run at once — under which its intent is written
// and which the sweeper closes when a replica stopped mid-way.
func ForExec(pendingID string) string { return ForPending(execPhase, pendingID) }

// ForJob is the id of a step on a whole bulk job in phase (confirm,
// approval-request, discard, cancel).
func ForJob(phase, jobID string) string { return jobTargetPrefix + phase + "#" + jobID }

// ForJobTarget is the id of bulk job jobID's target index: whoever runs it
// first, its intent is written once.
func ForJobTarget(jobID string, index int) string {
	return jobTargetPrefix + "#" + jobID + "#" + strconv.Itoa(index)
}

// ForJobTargetResume is the id under which runner owner settles a target
// another attempt left open: one per runner, so a runner that stops while
// resuming is found out by the next one the same way.
func ForJobTargetResume(jobID string, index int, owner string) string {
	return ForJobTarget(jobID, index) + "#" + owner
}

// ForAttempt makes id one interaction's own attempt: a second click is audited
// as well, while Slack's redelivery of the same click (the same ref) is not.
func ForAttempt(id, ref string) string { return id + "#" + short(ref) }

// ForDenial is the id of the refusal of step stepID: each refused person, each
// of their clicks and each reason is its own attempt; a redelivery of the same
// click (same ref) is not.
func ForDenial(stepID, teamID, userID, ref, reason string) string {
	return denyPrefix + "#" + stepID + "#" + short(teamID+"/"+userID+"|"+ref+"|"+reason)
}

// ForAnchor is the id of the chain anchor of the period starting at period,
// and the key of the once-claim that lets one replica write it.
func ForAnchor(period time.Time) string { return anchorPrefix + "#" + table.FormatTime(period) }

// Hash derives a fixed-length key from parts (32 hex digits), for
// deterministic ids and for refs that stay the same across redeliveries of one
// interaction.
func Hash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

// short keeps a deterministic id part short whatever it is made from.
func short(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}
