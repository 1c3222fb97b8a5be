package views

import "time"

// safetyNetGoldenCases render scheduled actions and caller verification (the
// card's undo window and the Home tab are package desk's).
func safetyNetGoldenCases() map[string]any {
	scheduled := []ScheduledView{
		{ID: "SCHED1", Action: "disable", Username: "alice", Pool: "prod", At: goldenNow.Add(48 * time.Hour), By: goldenActor, CanCancel: true},
		{ID: "SCHED2", Action: "delete", HardDelete: true, Username: "bob", Pool: "prod", At: goldenNow.Add(70 * time.Hour), By: goldenActor,
			ApprovedBy: ActorView{UserID: "U0APPROVER"}, CanCancel: true},
		{ID: "SCHED3", Action: "suspend", Username: "carol", Pool: "prod", At: goldenNow.Add(time.Hour), By: ActorView{UserID: "U0OTHER"}},
	}
	return map[string]any{
		"scheduled": ScheduledList(scheduled, false),
		"confirm_caller_check": ConfirmPrompt(ConfirmView{ID: "pnd_1", Action: "reset-password", Words: tableWords("reset-password"),
			Username: "alice", Pool: "prod", Requester: goldenActor, Expires: goldenNow.Add(15 * time.Minute),
			CallerFacts: []string{"Email: " + MaskEmail("alice@example.com"), "Phone: " + MaskedPhoneFact("+12025550100"), "Account created: March 2024"}}),
	}
}
