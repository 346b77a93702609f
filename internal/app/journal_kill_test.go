package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
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
	// The primary is down at its address, and comes back there: the
	// journal is bound to that primary and is replayed to no other.
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	primary := startSim(t, ov)
	if err := primary.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	cfgPath := writeJournalConfig(t, dir, primary.URL(), lightrag.URL(), "fallback")
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

	if err := primary.SetFault(sim.Fault{}); err != nil {
		t.Fatal(err)
	}
	c := testConfig(primary.URL(), lightrag.URL())
	c.Escalation.DataDir = dir
	c.Journal.Enabled = true
	startApp(t, c)
	checkReplayed(t, ov, writers)
	t.Logf("%d acknowledged writes from %d writers survived kill -9", acked, len(writers))
}

// checkReplayed waits for every writer's session to reach the primary and
// checks that each acknowledged write arrived once, in order.
func checkReplayed(t *testing.T, ov *sim.OpenViking, writers []*sessionWriter) {
	t.Helper()
	for _, w := range writers {
		eventually(t, "session "+w.id+" replayed", func() bool {
			v, ok := ov.Session(w.id)
			return ok && len(v.Messages) >= len(w.acked)
		})
		v, _ := ov.Session(w.id)
		w.check(t, v)
	}
}

// sessionWriter creates one session and adds messages to it until the
// gateway stops answering, remembering what was acknowledged. It writes
// as OpenViking's agent plugin does: parts of every kind, every optional
// field, and every third write a batch of two, as a user with an actor
// peer.
type sessionWriter struct {
	base, id string
	mu       sync.Mutex
	acked    []json.RawMessage
	inflight []json.RawMessage // the write sent when the gateway died, if any
}

func (w *sessionWriter) run() {
	client := &http.Client{Timeout: 5 * time.Second}
	if !w.post(client, "/api/v1/sessions", `{"session_id":"`+w.id+`"}`) {
		return
	}
	for n := 0; ; n += len(w.inflightNow()) {
		msgs := []json.RawMessage{fullMessage(w.id, n)}
		path, body := "/api/v1/sessions/"+w.id+"/messages", string(msgs[0])
		if n%3 == 2 {
			msgs = append(msgs, fullMessage(w.id, n+1))
			path, body = path+"/batch", `{"messages":[`+string(msgs[0])+`,`+string(msgs[1])+`]}`
		}
		w.mu.Lock()
		w.inflight = msgs
		w.mu.Unlock()
		if !w.post(client, path, body) {
			return
		}
		w.mu.Lock()
		w.acked = append(w.acked, msgs...)
		w.mu.Unlock()
	}
}

func (w *sessionWriter) inflightNow() []json.RawMessage {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.inflight
}

// fullMessage is message n of session id with every field the API takes.
func fullMessage(id string, n int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"role":"assistant","peer_id":"peer-%[2]d","created_at":"2026-12-01T10:00:%02[3]d.000Z",`+
		`"turn_id":"turn-%[2]d","message_kind":"assistant_step","source_message_ids":["m%[2]d"],"parts":[`+
		`{"type":"text","text":"%[1]s message %[2]d"},`+
		`{"type":"context","uri":"viking://resources/doc%[2]d","context_type":"resource","abstract":"doc %[2]d"},`+
		`{"type":"tool","tool_id":"call-%[2]d","tool_name":"grep","tool_uri":"","skill_uri":"","tool_status":"completed",`+
		`"tool_input":{"q":"x%[2]d"},"tool_output":"found %[2]d"}]}`, id, n, n%60))
}

func (w *sessionWriter) post(c *http.Client, path, body string) bool {
	req, _ := http.NewRequest(http.MethodPost, w.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-OpenViking-User", "kill9")
	req.Header.Set("X-OpenViking-Actor-Peer", "agent-kill9")
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode/100 == 2
}

// check holds the session to exactly the acknowledged writes in order,
// field by field, plus at most the write in flight when the process died
// (journaled but not yet answered), and nothing twice.
func (w *sessionWriter) check(t *testing.T, v sim.SessionView) {
	t.Helper()
	if v.User != "kill9" {
		t.Errorf("session %s is on the primary as user %q, want kill9", w.id, v.User)
	}
	want := w.acked
	if len(v.Messages) == len(want)+len(w.inflight) && w.inflight != nil {
		want = append(slices.Clone(want), w.inflight...)
	}
	if len(v.Messages) != len(want) {
		t.Errorf("session %s holds %d messages, want the %d acknowledged (%d in flight)", w.id, len(v.Messages), len(w.acked), len(w.inflight))
		return
	}
	for i, m := range v.Messages {
		if d := fieldsDiffer(want[i], m); d != "" {
			t.Errorf("session %s message %d: %s", w.id, i, d)
			return
		}
	}
}

// fieldsDiffer compares every field sent with the stored message's.
func fieldsDiffer(sent json.RawMessage, got sim.Message) string {
	var want, have map[string]any
	raw, _ := json.Marshal(got)
	if err := json.Unmarshal(sent, &want); err != nil {
		return err.Error()
	}
	_ = json.Unmarshal(raw, &have)
	for k, v := range want {
		if !reflect.DeepEqual(v, have[k]) {
			return fmt.Sprintf("field %s is %v, sent %v", k, have[k], v)
		}
	}
	return ""
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
