package proxy

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// An upstream may answer before it has read the request's body (a stream
// that starts at once, an early error). The client's body must still
// reach it whole, and the answer reach the client: Go's HTTP/1 server
// otherwise swallows the unread rest of the client's body when the
// gateway writes the answer's headers, racing the transport that is still
// sending that body upstream; the transport that loses the race closes
// the upstream connection and the answer breaks off mid-stream.
func TestAnswerBeforeTheBodyIsRead(t *testing.T) {
	got := make(chan string, 1)
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		// Duplex, so this upstream's own server does not wait for the
		// body before sending the headers, as uvicorn does not.
		rc := http.NewResponseController(w)
		_ = rc.EnableFullDuplex()
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: first\n\n")
		_ = rc.Flush()
		b, err := io.ReadAll(r.Body)
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- string(b)
		io.WriteString(w, "data: last\n\n")
	}, nil, ModePrimary)

	pr, pw := io.Pipe()
	defer pw.Close()
	req, err := http.NewRequest(http.MethodPost, f.front.URL+"/bot/v1/chat/stream", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(`{"message":"hi"}`))
	go func() { _, _ = io.WriteString(pw, `{"message":`) }()
	resp, err := doWithin(t, req, 5*time.Second)
	if err != nil {
		t.Fatalf("the answer's headers did not come while the body was still being sent: %v", err)
	}
	defer resp.Body.Close()
	lines := bufio.NewReader(resp.Body)
	if first, _ := lines.ReadString('\n'); first != "data: first\n" {
		t.Fatalf("first event %q", first)
	}
	if _, err := io.WriteString(pw, `"hi"}`); err != nil {
		t.Fatal(err)
	}
	select {
	case b := <-got:
		if b != `{"message":"hi"}` {
			t.Fatalf("the upstream got the body %q", b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the upstream never got the rest of the body")
	}
	rest, err := io.ReadAll(lines)
	if err != nil || !strings.Contains(string(rest), "data: last") {
		t.Fatalf("the stream's rest: %q, %v", rest, err)
	}
}

// doWithin sends req and gives up on its headers after d.
func doWithin(t *testing.T, req *http.Request, d time.Duration) (*http.Response, error) {
	t.Helper()
	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(client.CloseIdleConnections)
	go func() {
		resp, err := client.Do(req)
		done <- result{resp, err}
	}()
	select {
	case r := <-done:
		return r.resp, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("no answer within %v", d)
	}
}
