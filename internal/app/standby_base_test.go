package app_test

import (
	"slices"
	"strings"
	"testing"
)

// A session that lived on the primary before the outage carries on in the
// journal's answers: the gateway remembered what the primary answered as
// the client wrote and read through it, so counts continue and the
// context lists the earlier messages. Only the outage's writes are
// replayed.
func TestSessionFromBeforeTheOutageKeepsItsHistory(t *testing.T) {
	a, base, ov := startJournalApp(t)
	mustPost(t, base+"/api/v1/sessions", `{"session_id":"old"}`)
	for _, m := range []string{"one", "two", "three"} {
		mustPost(t, base+"/api/v1/sessions/old/messages", `{"role":"user","content":"`+m+`"}`)
	}
	outage(t, a)
	if code, body := post(t, base+"/api/v1/sessions/old/messages", `{"role":"user","parts":[{"type":"text","text":"four"}]}`); code != 200 ||
		!strings.Contains(body, `"message_count":4`) || !strings.Contains(body, `"complete":true`) {
		t.Fatalf("a write during the outage: %d %s; want message_count 4, complete", code, body)
	}
	if code, body := get(t, base+"/api/v1/sessions/old"); code != 200 || !strings.Contains(body, `"message_count":4`) {
		t.Fatalf("a read during the outage: %d %s", code, body)
	}
	code, body := get(t, base+"/api/v1/sessions/old/context")
	for _, want := range []string{`"text":"one"`, `"text":"four"`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("the context during the outage lacks %s: %d %s", want, code, body)
		}
	}
	a.Faults().Clear("test")
	eventually(t, "the journal drained", func() bool { return journalStatus(t, base)["pending"] == 0.0 })
	v, _ := ov.Session("old")
	var got []string
	for _, m := range v.Messages {
		got = append(got, m.Text())
	}
	if want := []string{"one", "two", "three", "four"}; !slices.Equal(got, want) {
		t.Fatalf("the primary holds %q, want %q", got, want)
	}
}
