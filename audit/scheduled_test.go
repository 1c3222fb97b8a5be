package audit

import "testing"

// A bulk target recognises the deletion it made by what the schedule stores,
// exactly: its job and target, or (written before schedules kept them) the
// target's first intent as its request; never another job's, another
// target's or one user's delete.
func TestMadeByJobTarget(t *testing.T) {
	t.Parallel()
	del := func(jobID string, target int, request string) Scheduled {
		return Scheduled{Kind: ScheduleHardDelete, JobID: jobID, JobTarget: target, RequestID: request}
	}
	for _, c := range []struct {
		name string
		sc   Scheduled
		want bool
	}{
		{"its job and target", del("JOB7", 3, "bulk#JOB7#3#replica-1"), true},
		{"another target of its job", del("JOB7", 4, "bulk#JOB7#4"), false},
		{"another job's", del("JOB8", 3, "bulk#JOB8#3"), false},
		{"kept job wins over the request", del("JOB8", 3, "bulk#JOB7#3"), false},
		{"earlier version: its first intent", del("", 0, "bulk#JOB7#3"), true},
		{"earlier version: another target's intent", del("", 0, "bulk#JOB7#30"), false},
		{"one user's delete", del("", 0, "exec#P1"), false},
		{"a scheduled action, not a deletion", Scheduled{Kind: ScheduleAction, JobID: "JOB7", JobTarget: 3}, false},
	} {
		if got := c.sc.MadeByJobTarget("JOB7", 3); got != c.want {
			t.Errorf("%s: MadeByJobTarget = %v; want %v", c.name, got, c.want)
		}
	}
	if del("", 0, "bulk##0").MadeByJobTarget("", 0) {
		t.Error("no job: a one-user delete's request matched as a job target's")
	}
}
