package actions

import "slices"

// The table is split by area, one file each: table_read.go (help, lookup,
// list, audit, pools), table_access.go (signing in or being kept out),
// table_profile.go (creating users, their attributes and groups),
// table_desk.go (the support desk's sign-in fixes and diagnostics) and
// table_jobs.go (bulk, scheduled, export, import). Each file holds its
// actions' names, the directory methods their operations call and their
// entries, so an action is declared in one file; this file puts the areas in
// help order and holds what they share.

// table is the single list, in help order: the areas in this order, and in
// each area its entries as written.
var table = slices.Concat(readTable, accessTable, profileTable, deskTable, jobTable)

// UserArg is how every usage line names the target user: any of these finds
// them. The README's command list writes it <user>, and says so once.
const UserArg = "<username | email | phone | sub>"

// userUsage is the argument list shared by every single-user action.
const userUsage = UserArg + " [--pool NAME] [--reason \"…\"]"

// atUsage is the --at of the actions that can be scheduled.
const atUsage = " [--at \"YYYY-MM-DD HH:MM [Zone/Name]\" | RFC3339]"

// findIAM is what resolving a user (search, then read) needs.
var findIAM = []string{"cognito-idp:ListUsers", "cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"}

func withFind(iam ...string) []string { return append(slices.Clone(findIAM), iam...) }
