package views

import "time"

// safetyNetGoldenCases render the undo window, scheduled actions, caller
// verification and the Home tab.
func safetyNetGoldenCases(approval ApprovalView) map[string]any {
	deletion := &DeletionView{At: goldenNow.Add(72 * time.Hour), RequestedBy: goldenActor, ApprovedBy: ActorView{UserID: "U0APPROVER"}, UndoValue: "SCHED123"}
	scheduled := []ScheduledView{
		{ID: "SCHED1", Action: "disable", Username: "alice", Pool: "prod", At: goldenNow.Add(48 * time.Hour), By: goldenActor, CanCancel: true},
		{ID: "SCHED2", Action: "delete", HardDelete: true, Username: "bob", Pool: "prod", At: goldenNow.Add(70 * time.Hour), By: goldenActor,
			ApprovedBy: ActorView{UserID: "U0APPROVER"}, CanCancel: true},
		{ID: "SCHED3", Action: "suspend", Username: "carol", Pool: "prod", At: goldenNow.Add(time.Hour), By: ActorView{UserID: "U0OTHER"}},
	}
	return map[string]any{
		"card_pending_deletion": UserCard(goldenUser, goldenPool, false, CardOptions{Deletion: deletion}),
		"scheduled":             ScheduledList(scheduled, false),
		"confirm_caller_check": ConfirmPrompt(ConfirmView{ID: "pnd_1", Action: "reset-password", Words: tableWords("reset-password"),
			Username: "alice", Pool: "prod", Requester: goldenActor, Expires: goldenNow.Add(15 * time.Minute),
			CallerFacts: []string{"Email: " + MaskedEmailFact("alice@example.com"), "Phone: " + MaskedPhoneFact("+12025550100"), "Account created: March 2024"}}),
		"home": Home(HomeView{Approvals: []ApprovalView{approval},
			Requests:  []HomeRequestView{{Action: "delete", Username: "dave", Pool: "prod", Approval: true, Expires: goldenNow.Add(time.Hour)}},
			Scheduled: scheduled[:2],
			Recent:    []HomeEntryView{{At: goldenNow, Action: "disable", Target: "erin", Result: "Disabled erin"}}}),
		"home_unavailable": Home(HomeView{Unavailable: "The bot's storage (DynamoDB) can't be reached right now."}),
	}
}
