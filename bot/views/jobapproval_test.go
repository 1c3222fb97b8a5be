package views

import (
	"maps"
	"strings"
	"testing"
	"time"
)

// jobApprovalGolden are the approval cards of a bulk job kept under testdata/
// (the bulk jobs' own views are package bulkview's).
func jobApprovalGolden() map[string]any {
	job := ApprovalView{ID: "jaJOB7", Action: "disable", Words: tableWords("disable"), Requester: goldenActor, Pool: goldenPool,
		Reason: "Offboarding acme", Created: goldenNow, Expires: goldenNow.Add(time.Hour),
		Job: &JobApprovalView{Count: 250, First: []string{"alice", "bob", "carol"}, JobID: "JOB7"}}
	return map[string]any{
		"bulk_approval":          ApprovalCard(job),
		"bulk_approval_approved": ApprovalDecided(job, DecisionView{State: "approved", By: ActorView{UserID: "U0999LEAD"}, At: goldenNow, OK: true, Result: "job started"}),
	}
}

func init() {
	base := goldenCases
	goldenCases = func() map[string]any {
		m := base()
		maps.Copy(m, jobApprovalGolden())
		return m
	}
}

// hostileJobApproval renders a bulk job's approval cards with maximal, hostile input.
func hostileJobApproval() map[string]Message {
	many := make([]string, 200)
	for i := range many {
		many[i] = hostile(300)
	}
	job := ApprovalView{ID: hostile(3000), Action: hostile(300), Requester: ActorView{UserID: "<!channel>"},
		Pool: PoolView{Name: hostile(300), ID: hostile(300)}, Reason: hostile(5000), Created: time.Unix(1700000000, 0),
		Job: &JobApprovalView{Count: 10000, First: many, JobID: hostile(300)}}
	return map[string]Message{
		"bulk_approval": ApprovalCard(job),
		"bulk_decided":  ApprovalDecided(job, DecisionView{State: "failed", Result: hostile(5000)}),
	}
}

func TestLimitsHostileJobApproval(t *testing.T) {
	for name, m := range hostileJobApproval() {
		t.Run(name, func(t *testing.T) {
			checkLimits(t, m)
			if strings.Contains(m.Text, "<!channel>") {
				t.Errorf("fallback text lets a mention through: %s", m.Text)
			}
		})
	}
}
