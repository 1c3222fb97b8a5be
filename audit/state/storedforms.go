package state

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// The stored forms of the typed fields. A pending action's snapshot and a
// schedule's deletion snapshot are kept as string maps, exactly as the version
// before typed fields wrote them, so an item of either version reads the same.

// Keys the version before typed fields kept in a pending action's params.
// The pool's name and the job id now have attributes of their own, and are
// also still written to params, so a replica of the previous version reads an
// item this one wrote during a rolling upgrade; an edit's old values and a job
// approval's summary stay stored in params as they were.
const (
	legacyPoolKey = "pool_name"
	legacyJobKey  = "job"
	oldPrefix     = "old."
	jobActionKey  = "action"
	jobCountKey   = "count"
	jobFirstKey   = "first"
)

// storedParams is what a pending action keeps in its params attribute: its
// params, an edit's old values (old.NAME), a job approval's summary, and the
// pool's name and job id as the previous version kept them.
func storedParams(p audit.Pending) map[string]string {
	if len(p.Old) == 0 && p.JobApproval == nil && p.Pool == "" && p.Job == "" {
		return p.Params
	}
	out := maps.Clone(p.Params)
	if out == nil {
		out = map[string]string{}
	}
	if p.Pool != "" {
		out[legacyPoolKey] = p.Pool
	}
	if p.Job != "" {
		out[legacyJobKey] = p.Job
	}
	for k, v := range p.Old {
		out[oldPrefix+k] = v
	}
	if ja := p.JobApproval; ja != nil {
		out[jobActionKey], out[jobCountKey], out[jobFirstKey] = string(ja.Action), strconv.Itoa(ja.Count), strings.Join(ja.First, "\n")
	}
	return out
}

// splitParams takes an edit's old values, and a job approval's summary when
// the item is one (job set), out of stored params.
func splitParams(params map[string]string, job string) (rest, old map[string]string, ja *audit.JobApproval, err error) {
	for k, v := range params {
		name, isOld := strings.CutPrefix(k, oldPrefix)
		isJob := job != "" && (k == jobActionKey || k == jobCountKey || k == jobFirstKey)
		switch {
		case isOld:
			if old == nil {
				old = map[string]string{}
			}
			old[name] = v
		case !isJob:
			if rest == nil {
				rest = map[string]string{}
			}
			rest[k] = v
		}
	}
	if job == "" {
		return rest, old, nil, nil
	}
	ja = &audit.JobApproval{Action: actions.Action(params[jobActionKey])}
	if ja.Count, err = strconv.Atoi(params[jobCountKey]); err != nil {
		return nil, nil, nil, fmt.Errorf("its job's size is %q: %w", params[jobCountKey], audit.ErrUnreadable)
	}
	if f := params[jobFirstKey]; f != "" {
		ja.First = strings.Split(f, "\n")
	}
	return rest, old, ja, nil
}

// splitLegacyParams takes the pool's name and the job id out of params, where
// the previous version kept them, when the item has no attribute of its own for
// them. Both present and different: the item is not one either version wrote.
func splitLegacyParams(params map[string]string, pool, job string) (map[string]string, string, string, error) {
	oldPool, hasPool := params[legacyPoolKey]
	oldJob, hasJob := params[legacyJobKey]
	if !hasPool && !hasJob {
		return params, pool, job, nil
	}
	if (hasPool && pool != "" && pool != oldPool) || (hasJob && job != "" && job != oldJob) {
		return nil, "", "", fmt.Errorf("its pool or job is stored twice, differently: %w", audit.ErrUnreadable)
	}
	rest := maps.Clone(params)
	delete(rest, legacyPoolKey)
	delete(rest, legacyJobKey)
	if len(rest) == 0 {
		rest = nil
	}
	if pool == "" {
		pool = oldPool
	}
	if job == "" {
		job = oldJob
	}
	return rest, pool, job, nil
}

// targetSnapshotAttrs is the stored form of a pending action's snapshot.
func targetSnapshotAttrs(s *audit.TargetSnapshot) map[string]string {
	if s == nil {
		return nil
	}
	return map[string]string{"sub": s.Sub, "status": s.Status, "enabled": strconv.FormatBool(s.Enabled),
		"email": s.Email, "groups": strings.Join(s.Groups, ",")}
}

// targetSnapshotOf reads a stored snapshot back; nil when none was stored.
func targetSnapshotOf(m map[string]string) (*audit.TargetSnapshot, error) {
	if len(m) == 0 {
		return nil, nil
	}
	enabled, err := strconv.ParseBool(m["enabled"])
	if err != nil {
		return nil, fmt.Errorf("its snapshot's enabled flag is %q: %w", m["enabled"], audit.ErrUnreadable)
	}
	s := &audit.TargetSnapshot{Sub: m["sub"], Status: m["status"], Email: m["email"], Enabled: enabled}
	if g := m["groups"]; g != "" {
		s.Groups = strings.Split(g, ",")
	}
	return s, nil
}

// attrPrefix marks a user attribute in a stored deletion snapshot.
const attrPrefix = "attr."

// deletionSnapshotAttrs is the stored form of a deletion snapshot.
func deletionSnapshotAttrs(s *audit.DeletionSnapshot) map[string]string {
	if s == nil {
		return nil
	}
	m := map[string]string{"enabled": strconv.FormatBool(s.Enabled), "status": s.Status,
		"preferred_mfa": s.PreferredMFA, "mfa": strings.Join(s.MFA, ",")}
	for k, v := range s.Attributes {
		m[attrPrefix+k] = v
	}
	return m
}

// deletionSnapshotOf reads a stored deletion snapshot back; nil when none was
// stored. A missing enabled flag reads as enabled, as the undo always took it.
func deletionSnapshotOf(m map[string]string) (*audit.DeletionSnapshot, error) {
	if len(m) == 0 {
		return nil, nil
	}
	s := &audit.DeletionSnapshot{Enabled: true, Status: m["status"], PreferredMFA: m["preferred_mfa"]}
	if v, ok := m["enabled"]; ok {
		enabled, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("its snapshot's enabled flag is %q: %w", v, audit.ErrUnreadable)
		}
		s.Enabled = enabled
	}
	if v := m["mfa"]; v != "" {
		s.MFA = strings.Split(v, ",")
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if name, ok := strings.CutPrefix(k, attrPrefix); ok {
			if s.Attributes == nil {
				s.Attributes = map[string]string{}
			}
			s.Attributes[name] = m[k]
		}
	}
	return s, nil
}
