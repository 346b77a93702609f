package app_test

import (
	"slices"
	"strings"
	"testing"
)

// A session that lived on the primary before the outage keeps its earlier
// messages in the journal's answers: the outage copy of its last read is
// the journal's base. Only the outage's writes are replayed.
func TestSessionFromBeforeTheOutageKeepsItsHistory(t *testing.T) {
	a, base, ov := startJournalApp(t)
	mustPost(t, base+"/api/v1/sessions", `{"session_id":"old"}`)
	for _, m := range []string{"one", "two", "three"} {
		mustPost(t, base+"/api/v1/sessions/old/messages", `{"role":"user","content":"`+m+`"}`)
	}
	if code, _ := get(t, base+"/api/v1/sessions/old"); code != 200 { // the client reads it: the outage copy
		t.Fatalf("read before the outage: %d", code)
	}
	outage(t, a)
	if code, body := post(t, base+"/api/v1/sessions/old/messages", `{"role":"user","content":"four"}`); code != 200 || !strings.Contains(body, `"message_count":4`) {
		t.Fatalf("a write during the outage: %d %s; want message_count 4", code, body)
	}
	code, body := get(t, base+"/api/v1/sessions/old")
	for _, want := range []string{`"message_count":4`, `"content":"one"`, `"content":"four"`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("a read during the outage lacks %s: %d %s", want, code, body)
		}
	}
	a.Faults().Clear("test")
	eventually(t, "the journal drained", func() bool { return journalStatus(t, base)["pending"] == 0.0 })
	v, _ := ov.Session("old")
	var got []string
	for _, m := range v.Messages {
		got = append(got, m.Content)
	}
	if want := []string{"one", "two", "three", "four"}; !slices.Equal(got, want) {
		t.Fatalf("the primary holds %q, want %q", got, want)
	}
}
