package auditid

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Fixed inputs of the pins below.
const (
	ref     = "cmd#T123.456"
	pending = "p0123456789abcdef0123456789abcdef"
	job     = "JOB7QZ2"
	sched   = "SCHED4X2M"
)

// pins holds each kind's exact id for fixed inputs, as the version before this
// package built them by hand ("find#"+HashKey(req.Ref, …), "exec#"+p.ID, …).
// Entries already stored are looked up by these strings: a change here is a
// change to stored data, never a refactoring.
var pins = []struct {
	name string
	kind Kind // "" for the ids not of a Kind
	got  string
	want string
}{
	{"find action+key", Find, ForRequest(Find, ref, "reset-password", "alice"), "find#8e6673fcff91aad7d8dcfb54d19761b3"},
	{"find key", Find, ForRequest(Find, ref, "alice"), "find#50ba851b60dda77ccfae66a5b116309e"},
	{"na", NotApplicable, ForRequest(NotApplicable, ref, "disable"), "na#c0e83489f5910fd6cf012bdd45fcf7c2"},
	{"ask", Ask, ForRequest(Ask, ref, "disable"), "ask#c0e83489f5910fd6cf012bdd45fcf7c2"},
	{"at", At, ForRequest(At, ref), "at#396323a01c237b71597e505b3d90c2e5"},
	{"undo refused", Undo, ForRequest(Undo, ref), "undo#396323a01c237b71597e505b3d90c2e5"},
	{"undo of a schedule", Undo, ForAttempt(ForSchedule(Undo, sched), ref), "undo#SCHED4X2M#396323a01c23"},
	{"bulkplan", BulkPlan, ForRequest(BulkPlan, ref), "bulkplan#396323a01c237b71597e505b3d90c2e5"},
	{"bulkask", BulkAsk, ForRequest(BulkAsk, ref), "bulkask#396323a01c237b71597e505b3d90c2e5"},
	{"importask", ImportAsk, ForRequest(ImportAsk, ref), "importask#396323a01c237b71597e505b3d90c2e5"},
	{"importcheck", ImportCheck, ForRequest(ImportCheck, ref), "importcheck#396323a01c237b71597e505b3d90c2e5"},
	{"audit", Audit, ForRequest(Audit, ref, "alice", "cursor1"), "audit#c7449e4a5f0a29b4a8fc0dfd5a113773"},
	{"audit-verify", AuditVerify, ForRequest(AuditVerify, ref, "24h0m0s"), "audit-verify#d8b51714306ed55bdd79b53b7daa23fc"},
	{"list", List, ForRequest(List, ref, strconv.Itoa(2)), "list#1a9b837308abd0feb5017b79e10cddd7"},
	{"help", Help, ForRequest(Help, ref), "help#396323a01c237b71597e505b3d90c2e5"},
	{"pools", Pools, ForRequest(Pools, ref), "pools#396323a01c237b71597e505b3d90c2e5"},
	{"home", Home, ForRequest(Home, ref), "home#396323a01c237b71597e505b3d90c2e5"},
	{"groups", Groups, ForRequest(Groups, ref, "alice"), "groups#50ba851b60dda77ccfae66a5b116309e"},
	{"create", Create, ForRequest(Create, ref, "bob"), "create#d40a0f83bc721c3253618723dc508946"},
	{"schema", Schema, ForRequest(Schema, ref, "edit", "alice"), "schema#ad2fbec3a1b83db32ad3da22de2ee578"},
	{"export", Export, ForRequest(Export, ref), "export#396323a01c237b71597e505b3d90c2e5"},
	{"sched-list", ScheduleList, ForRequest(ScheduleList, ref), "sched-list#396323a01c237b71597e505b3d90c2e5"},
	{"sched", ScheduleRun, ForSchedule(ScheduleRun, sched), "sched#SCHED4X2M"},
	{"sched-cancel", ScheduleCancel, ForSchedule(ScheduleCancel, sched), "sched-cancel#SCHED4X2M"},
	{"sched-break-glass", ScheduleBreakGlass, ForSchedule(ScheduleBreakGlass, sched), "sched-break-glass#SCHED4X2M"},
	{"exec", "", ForExec(pending), "exec#p0123456789abcdef0123456789abcdef"},
	{"pending phase", "", ForPending("request", pending), "request#p0123456789abcdef0123456789abcdef"},
	{"remind claim", "", ForPending("remind", pending), "remind#p0123456789abcdef0123456789abcdef"},
	{"escalate claim", "", ForPending("escalate", pending), "escalate#p0123456789abcdef0123456789abcdef"},
	{"caller verified", "", ForAttempt(ForPending("caller-verified", pending), ref),
		"caller-verified#p0123456789abcdef0123456789abcdef#396323a01c23"},
	{"job step", "", ForJob("confirm", job), "bulkconfirm#JOB7QZ2"},
	{"job step attempt", "", ForAttempt(ForJob("cancel", job), ref), "bulkcancel#JOB7QZ2#396323a01c23"},
	{"job target", "", ForJobTarget(job, 17), "bulk#JOB7QZ2#17"},
	{"job target resume", "", ForJobTargetResume(job, 17, "replica-2"), "bulk#JOB7QZ2#17#replica-2"},
	{"denial", "", ForDenial("exec#p0123", "T0TEAM", "U0USER", ref, "not allowed"), "deny#exec#p0123#ca2f97428bd2"},
	{"anchor", "", ForAnchor(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)), "anchor#2026-12-07T09:00:00.000000000Z"},
}

func TestIDsAreByteForByteThoseStoredBefore(t *testing.T) {
	for _, p := range pins {
		if p.got != p.want {
			t.Errorf("%s: got %q, want %q (the id entries already stored are found by)", p.name, p.got, p.want)
		}
	}
}

func TestHashIsFixedLengthAndSeparatesParts(t *testing.T) {
	if got := Hash("a", "bc"); len(got) != 32 || got == Hash("ab", "c") {
		t.Errorf("Hash(a, bc) = %q: want 32 hex digits, unlike Hash(ab, c)", got)
	}
}

// kindsDeclared reads the Kind constants declared in auditid.go, so a kind
// added without a pin or with a taken prefix fails the tests below.
func kindsDeclared(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "auditid.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Kind" {
				continue
			}
			value, err := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			kinds[v.Names[0].Name] = value
		}
	}
	if len(kinds) < 20 {
		t.Fatalf("found only %d Kind constants in auditid.go: %v", len(kinds), kinds)
	}
	return kinds
}

func TestEveryKindIsPinned(t *testing.T) {
	pinned := map[Kind]bool{}
	for _, p := range pins {
		pinned[p.kind] = true
	}
	for name, value := range kindsDeclared(t) {
		if !pinned[Kind(value)] {
			t.Errorf("kind %s (%q) has no pinned id in pins", name, value)
		}
	}
}

// Every prefix in use today: the kinds, the fixed prefixes, the phases of
// pending actions (ForPending, flows) and of whole jobs (ForJob, jobs). A new
// phase belongs here.
var (
	pendingPhases = []string{"request", "cancel", "reject", "expire", execPhase, "break-glass", "caller-verified",
		"review", "remind", "escalate"}
	jobPhases = []string{"confirm", "approval-request", "discard", "cancel"}
)

func TestPrefixesDoNotCollide(t *testing.T) {
	owner := map[string]string{}
	claim := func(prefix, what string) {
		t.Helper()
		if prefix == "" || strings.Contains(prefix, "#") {
			t.Errorf("%s: prefix %q must be non-empty and hold no '#', which ends it", what, prefix)
		}
		if other, taken := owner[prefix]; taken {
			t.Errorf("prefix %q is both %s and %s", prefix, other, what)
		}
		owner[prefix] = what
	}
	for name, value := range kindsDeclared(t) {
		claim(value, "kind "+name)
	}
	claim(jobTargetPrefix, "a bulk target")
	claim(denyPrefix, "a denial")
	claim(anchorPrefix, "a chain anchor")
	for _, ph := range pendingPhases {
		claim(ph, "pending phase "+ph)
	}
	for _, ph := range jobPhases {
		claim(jobTargetPrefix+ph, "job phase "+ph)
	}
}

func TestIDsStartWithTheirPrefix(t *testing.T) {
	for _, p := range pins {
		if p.kind != "" && !strings.HasPrefix(p.got, string(p.kind)+"#") {
			t.Errorf("%s: %q does not start with %q", p.name, p.got, string(p.kind)+"#")
		}
	}
	// The two forms of an undo share a prefix; their shapes keep them apart.
	if a, b := ForRequest(Undo, ref), ForAttempt(ForSchedule(Undo, sched), ref); strings.Count(a, "#") != 1 || strings.Count(b, "#") != 2 {
		t.Errorf("undo ids %q and %q: want one '#' in a refused undo, two in a schedule's", a, b)
	}
}
