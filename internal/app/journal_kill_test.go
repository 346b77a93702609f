package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// TestKill9LosesNoAcknowledgedWrite runs Lifeboat as a real process in
// fallback mode, kills it with SIGKILL in the middle of a burst of session
// writes, then starts it again in front of a primary that is back. Every
// write a client got a 2xx for must reach the primary, in order, once.
func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	dir := t.TempDir()
	lightrag := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	cfgPath := writeJournalConfig(t, dir, closedURLOf(t), lightrag.URL(), "fallback")
	addr, proc := startProcess(t, "serve --config "+cfgPath, `msg="lifeboat listening" addr=(\S+)`)

	writers := make([]*sessionWriter, 12)
	var wg sync.WaitGroup
	for i := range writers {
		writers[i] = &sessionWriter{base: "http://" + addr, id: fmt.Sprintf("kill9-w%d", i)}
		wg.Go(writers[i].run)
	}
	eventually(t, "200 acknowledged writes", func() bool { return ackedTotal(writers) >= 200 })
	if err := proc.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	acked := ackedTotal(writers)

	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	c := testConfig(startSim(t, ov).URL(), lightrag.URL())
	c.Escalation.DataDir = dir
	c.Journal.Enabled = true
	startApp(t, c)
	for _, w := range writers {
		eventually(t, "session "+w.id+" replayed", func() bool {
			v, ok := ov.Session(w.id)
			return ok && len(v.Messages) >= len(w.acked)
		})
		v, _ := ov.Session(w.id)
		w.check(t, v)
	}
	t.Logf("%d acknowledged writes from %d writers survived kill -9", acked, len(writers))
}

// sessionWriter creates one session and adds messages to it one at a time
// until the gateway stops answering, remembering what was acknowledged.
type sessionWriter struct {
	base, id string
	mu       sync.Mutex
	acked    []string
	inflight string // the write sent when the gateway died, if any
}

func (w *sessionWriter) run() {
	client := &http.Client{Timeout: 5 * time.Second}
	if !w.post(client, "/api/v1/sessions", `{"session_id":"`+w.id+`"}`) {
		return
	}
	for n := 0; ; n++ {
		content := fmt.Sprintf("%s message %d", w.id, n)
		w.mu.Lock()
		w.inflight = content
		w.mu.Unlock()
		if !w.post(client, "/api/v1/sessions/"+w.id+"/messages", `{"role":"user","content":"`+content+`"}`) {
			return
		}
		w.mu.Lock()
		w.acked, w.inflight = append(w.acked, content), ""
		w.mu.Unlock()
	}
}

func (w *sessionWriter) post(c *http.Client, path, body string) bool {
	resp, err := c.Post(w.base+path, "application/json", strings.NewReader(body))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode/100 == 2
}

// check holds the session to exactly the acknowledged writes in order,
// plus at most the one write in flight when the process died (journaled
// but not yet answered), and nothing twice.
func (w *sessionWriter) check(t *testing.T, v sim.SessionView) {
	t.Helper()
	got := make([]string, len(v.Messages))
	for i, m := range v.Messages {
		got[i] = m.Content
	}
	want := w.acked
	if len(got) == len(want)+1 && w.inflight != "" {
		want = append(slices.Clone(want), w.inflight)
	}
	if !slices.Equal(got, want) {
		t.Errorf("session %s holds %d messages, want the %d acknowledged (in flight: %q)\ngot  %q\nwant %q",
			w.id, len(got), len(w.acked), w.inflight, got, want)
	}
}

func ackedTotal(ws []*sessionWriter) int {
	n := 0
	for _, w := range ws {
		w.mu.Lock()
		n += len(w.acked)
		w.mu.Unlock()
	}
	return n
}

// closedURLOf returns the address of a port nothing listens on.
func closedURLOf(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.NotFoundHandler())
	u := s.URL
	s.Close()
	return u
}

// writeJournalConfig writes a configuration for a gateway with the journal
// on and escalation off, in the given mode.
func writeJournalConfig(t *testing.T, dir, primary, fallback, mode string) string {
	t.Helper()
	yaml := fmt.Sprintf(`listen: 127.0.0.1:0
upstreams:
  primary: {url: %q}
  fallback: {url: %q}
routing: {mode: %s}
escalation: {enabled: false, data_dir: %q}
journal: {enabled: true}
`, primary, fallback, mode, dir)
	path := filepath.Join(dir, "lifeboat.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
