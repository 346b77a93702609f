package translate

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// chatStream maps a streaming OpenViking call onto LightRAG's NDJSON
// /query/stream, one event a line: references are skipped, each piece of
// the answer becomes {"event":"message","data":…}.
var chatStream = Rule{Name: "chat-stream", Methods: []string{"POST"}, Paths: []string{"/bot/v1/chat/stream"},
	Path: "/query/stream", Stream: true,
	Request:  `{query: .body.message, mode: "mix", include_references: true}`,
	Response: `if .body.response then {event: "message", data: .body.response} else empty end`}

// The stream is translated line by line while LightRAG writes it: the
// first event reaches the client while the fallback still holds the rest
// back (it waits for the test), so nothing is buffered whole.
func TestStreamIsTranslatedLineByLine(t *testing.T) {
	release := make(chan struct{})
	u := standIn(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		rc := http.NewResponseController(w)
		_, _ = w.Write([]byte("{\"references\":[]}\n{\"response\":\"Agents \"}\n"))
		_ = rc.Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write([]byte("{\"response\":\"remember.\"}\n"))
	})
	tr := newTranslator(t, Options{Fallback: u, Rules: []Rule{chatStream}})
	resp, err := tr.RoundTrip(request(t.Context(), "POST", "/bot/v1/chat/stream", `{"message":"what do agents remember"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" || resp.ContentLength != -1 {
		t.Fatalf("headers %v", resp.Header)
	}
	r := bufio.NewReader(resp.Body)
	first, err := r.ReadString('\n')
	if want := `data: {"data":"Agents ","event":"message"}` + "\n"; err != nil || first != want {
		t.Fatalf("first event %q, %v; want %q (the references line skipped)", first, err, want)
	}
	close(release)
	rest, err := io.ReadAll(r)
	if want := "\ndata: {\"data\":\"remember.\",\"event\":\"message\"}\n\n"; err != nil || string(rest) != want {
		t.Fatalf("the rest: %q, %v; want %q", rest, err, want)
	}
}

// LightRAG's own /query/stream (the simulator's, pieces flushed apart)
// translates whole.
func TestStreamFromLightRAG(t *testing.T) {
	_, u := startLightRAG(t, sim.LightRAGOptions{StreamGap: time.Millisecond})
	tr := newTranslator(t, Options{Fallback: u, Rules: []Rule{chatStream}})
	resp, err := tr.RoundTrip(request(t.Context(), "POST", "/bot/v1/chat/stream", `{"message":"what do agents remember"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || strings.Count(string(body), `"event":"message"`) < 3 || strings.Contains(string(body), `"references"`) {
		t.Fatalf("translated: %q, %v", body, err)
	}
}

// A fallback that refuses the streaming call is the gateway's failure,
// answered before any event; a line that is not JSON ends the stream with
// an error event.
func TestStreamFailures(t *testing.T) {
	got := &causes{}
	refusing := standIn(t, answer(http.StatusForbidden, `{"detail":"Invalid API Key"}`))
	tr := newTranslator(t, Options{Fallback: refusing, Rules: []Rule{chatStream}, OnFallbackError: got.record})
	wantUnavailable(t, do(t, tr, "POST", "/bot/v1/chat/stream", `{"message":"hello there"}`), got, CauseRefused)
	broken := standIn(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = w.Write([]byte("{\"response\":\"fine \"}\n<html>oops\n"))
	})
	tr = newTranslator(t, Options{Fallback: broken, Rules: []Rule{chatStream}, OnFallbackError: got.record})
	resp, err := tr.RoundTrip(request(t.Context(), "POST", "/bot/v1/chat/stream", `{"message":"hello there"}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), `"data":"fine "`) || !strings.Contains(string(raw), `"event":"error"`) || !strings.Contains(got.last(), "shape") {
		t.Fatalf("broken stream: %s (reported %q)", raw, got.last())
	}
}
