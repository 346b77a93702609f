package proxy

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// truncated is an upstream that promises 20000 bytes, sends 3000 and
// closes the connection.
func truncated(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "20000")
	w.WriteHeader(200)
	io.WriteString(w, strings.Repeat("x", 3000))
	w.(http.Flusher).Flush()
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// An idempotent request whose primary answer breaks off is answered whole
// by the fallback, and the primary is charged with a failure.
func TestTruncatedBodyIsAnsweredByTheFallback(t *testing.T) {
	for _, mode := range []Mode{ModeBackup, ModeSplit} {
		f := newFixture(t, truncated, nil, mode)
		code, up, body := f.do(t, "POST", "/api/v1/search/find", `{"query":"x"}`)
		if code != 200 || up != "fallback" || !strings.Contains(body, `"result":"fallback"`) {
			t.Fatalf("%s: got %d from %q: %.60s; want the fallback's whole answer", mode, code, up, body)
		}
		if c := f.stats.Totals(primary, nil); c.ServerErrors != 1 || c.OK != 0 {
			t.Fatalf("%s: primary counted %+v, want one server error", mode, c)
		}
	}
}

// A request that cannot be replayed streams as before: the client's
// connection is aborted, never closed cleanly on a short body, and the
// primary is charged with a failure.
func TestTruncatedBodyOfAWriteAbortsTheClient(t *testing.T) {
	f := newFixture(t, truncated, nil, ModeBackup)
	req, _ := http.NewRequest("POST", f.front.URL+"/api/v1/sessions/s1/messages", strings.NewReader(`{"role":"user"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Fatalf("the client read %d bytes and a clean end of a body cut short", len(b))
	}
	// The failure is recorded as the handler unwinds, just after the
	// client saw the connection drop.
	eventually(t, "the primary charged with the broken body", func() bool {
		return f.stats.Totals(primary, nil).ServerErrors == 1
	})
}

// eventually polls cond for at most 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
	}
}
