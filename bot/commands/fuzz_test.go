package commands

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
)

// The fuzz targets below cover what people type and what Slack delivers.
// Plain `go test` runs their seed corpora (here and in testdata/fuzz/); `make
// fuzz` runs each one for FUZZTIME.

// sessionBodies are the bodies a button's session may hold, by kind.
var sessionBodies = []func() any{
	func() any { return &desk.CardSession{} }, func() any { return &desk.DeviceSession{} }, func() any { return &desk.PickSession{} },
	func() any { return &desk.ReasonSession{} }, func() any { return &desk.ListSession{} }, func() any { return &usercmd.GroupsSession{} },
	func() any { return &usercmd.EditSession{} }, func() any { return &usercmd.CreateSession{} }, func() any { return &importSession{} },
	func() any { return &bulkUsersSession{} }, func() any { return &auditSearch{} },
}

// FuzzSessionDecoding: a stored session body (whatever the state table
// holds) decodes into its kind without a panic, and what decodes re-encodes
// to a body that decodes to the same again (decode → encode → decode is
// stable), so a session survives being saved and read back.
func FuzzSessionDecoding(f *testing.F) {
	f.Add(uint8(0), []byte(`{"pool":"prod","target":{"username":"ann","sub":"s-1"},"items":[{"action":"verify","args":{"attribute":"email"}}]}`))
	f.Add(uint8(2), []byte(`{"pool":"prod","action":"disable","limit":5,"args":{"reason":"x"},"choices":[{"username":"a","sub":"1"}]}`))
	f.Add(uint8(3), []byte(`{"action":"delete","target":{"username":"frank"},"pending_id":"p1","pool":"prod","channel":"C1","response_url":"https://x"}`))
	f.Add(uint8(4), []byte(`{"pool":"prod","status":"CONFIRMED","limit":10,"tokens":{"2":"tok"}}`))
	f.Add(uint8(6), []byte(`{"target":{"username":"boss"},"original":{"email":"a@b.c"},"pool":"prod"}`))
	f.Add(uint8(9), []byte(`{"action":"disable","args":{"attribute":"email"},"reason":"r","pool":"prod"}`))
	f.Add(uint8(1), []byte(`null`))
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		make := sessionBodies[int(kind)%len(sessionBodies)]
		v := make()
		if json.Unmarshal(body, v) != nil {
			return
		}
		b1, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("a decoded %T does not encode: %v", v, err)
		}
		v2 := make()
		if err := json.Unmarshal(b1, v2); err != nil {
			t.Fatalf("%T: its own encoding %s does not decode: %v", v, b1, err)
		}
		if b2, _ := json.Marshal(v2); !bytes.Equal(b1, b2) {
			t.Fatalf("%T not stable:\n%s\n%s", v, b1, b2)
		}
	})
}

// renderImport writes import lines back as a CSV, as a person (or the bot's
// export) would, neutralising formula cells with bulk.SafeCell.
func renderImport(lines []importLine) []byte {
	cols := map[string]bool{}
	for _, l := range lines {
		for k := range l.attrs {
			cols[k] = true
		}
	}
	header := append([]string{"username", "groups"}, slices.Sorted(maps.Keys(cols))...)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	for _, l := range lines {
		rec := []string{bulk.SafeCell(l.username), bulk.SafeCell(strings.Join(l.groups, ";"))}
		for _, c := range header[2:] {
			rec = append(rec, bulk.SafeCell(l.attrs[c]))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

// FuzzImportCSV: any file attached to the import form is read without a
// panic into lines that each have a username and an email, or into problems
// that each name a line and say what is wrong; a clean file written back out
// reads as the same users (parse → render → parse is stable). The bulk form's
// user list reader takes the same bytes without a panic.
func FuzzImportCSV(f *testing.F) {
	for _, s := range []string{
		"username,email,phone_number,name,custom:tenant,groups\nann,ann@example.com,+15555550100,Ann,acme,support;admins\nbob,bob@example.com,,,,\n",
		"\ufeffusername,email\nann,ann@example.com\n\nbob,bob@example.com\n",
		"username,email,phone_number\nann,ann@example.com,'+15555550100\n",
		"username,email\nann,ann@example.com\nann,other@example.com\n",
		"email\nann@example.com\n", "username,,email\n", "username,\"unterminated\n", "",
		"username,email,name\n\"a b\",x@y.z,\"=cmd|' /C calc'!A0\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		_, _ = listFromFile(content)
		lines, problems := parseImportCSV(content)
		for _, p := range problems {
			if p.Line < 1 || strings.TrimSpace(p.Problem) == "" {
				t.Fatalf("problem %+v names no line or says nothing", p)
			}
		}
		for _, l := range lines {
			if l.username == "" || l.attrs["email"] == "" {
				t.Fatalf("line %d kept without username or email: %+v", l.line, l)
			}
		}
		if len(problems) > 0 {
			return
		}
		rendered := renderImport(lines)
		again, problems := parseImportCSV(rendered)
		if len(problems) > 0 || len(again) != len(lines) {
			t.Fatalf("a clean file written back out:\n%s\nreads as %d lines, problems %+v (was %d lines)", rendered, len(again), problems, len(lines))
		}
		for i := range lines {
			a, b := lines[i], again[i]
			if a.username != b.username || !maps.Equal(a.attrs, b.attrs) || !slices.Equal(a.groups, b.groups) {
				t.Fatalf("line %d: %+v read back as %+v from\n%s", i, a, b, rendered)
			}
		}
	})
}
