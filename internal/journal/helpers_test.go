package journal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// startOV runs a fresh OpenViking simulator on loopback.
func startOV(t testing.TB) (*sim.Server, *sim.OpenViking) {
	t.Helper()
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	s := sim.NewServer(ov)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s, ov
}

// journalPath is a fresh journal file in a directory that does not exist
// yet, so Open must create it.
func journalPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "state", "journal.log")
}

// openAt opens the journal at path and closes it when the test ends.
func openAt(t testing.TB, path string, wrap func(file) file, opts ...func(*Options)) *Journal {
	t.Helper()
	o := Options{Path: path}
	for _, f := range opts {
		f(&o)
	}
	j, err := open(o, wrap)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j
}

// fallbackSide is the usual fixture: a simulator standing for the fallback
// side, a fresh journal, and a client whose requests go through the
// journal to that simulator.
func fallbackSide(t testing.TB) (*sim.Server, *Journal, *http.Client) {
	t.Helper()
	fb, _ := startOV(t)
	j := openAt(t, journalPath(t), nil)
	return fb, j, client(j)
}

// client sends requests through the journal's transport; next is where
// everything else goes.
func client(j *Journal) *http.Client {
	return &http.Client{Transport: j.Transport(http.DefaultTransport), Timeout: 10 * time.Second}
}

// httpReply is a decoded answer.
type httpReply struct {
	status int
	header http.Header
	length int64
	raw    []byte
	body   map[string]any
}

func (r httpReply) result() map[string]any {
	m, _ := r.body["result"].(map[string]any)
	return m
}

func (r httpReply) code() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// call sends body (a string as is, anything else as JSON) with header pairs.
func call(t *testing.T, c *http.Client, method, url string, body any, headers ...string) httpReply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := httpReply{status: resp.StatusCode, header: resp.Header, length: resp.ContentLength, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// addMessages posts messages m0..m(n-1) to session id through c.
func addMessages(t *testing.T, c *http.Client, base, id string, n int, headers ...string) {
	t.Helper()
	for i := range n {
		r := call(t, c, "POST", base+"/api/v1/sessions/"+id+"/messages",
			map[string]any{"role": "user", "content": msgText(id, i)}, headers...)
		if r.status != 200 {
			t.Fatalf("message %d: %d %s", i, r.status, r.raw)
		}
	}
}

func msgText(id string, i int) string { return id + " message " + strconv.Itoa(i) }

// contents lists the simulator's held messages of a session.
func contents(t *testing.T, ov *sim.OpenViking, id string) []string {
	t.Helper()
	v, ok := ov.Session(id)
	if !ok {
		t.Fatalf("session %s not on the primary", id)
	}
	out := make([]string, 0, len(v.Messages))
	for _, m := range v.Messages {
		out = append(out, m.Text())
	}
	return out
}

// faultyFile wraps the real file: it counts fsyncs, can fail them or
// writes, and can hold the first fsync until released.
type faultyFile struct {
	file
	syncs     atomic.Int64
	failSync  atomic.Bool
	failWrite atomic.Bool
	gateOnce  sync.Once
	gate      chan struct{} // nil: never held
}

var errDisk = errors.New("disk on fire")

func (f *faultyFile) Write(p []byte) (int, error) {
	if f.failWrite.Load() {
		return 0, errDisk
	}
	return f.file.Write(p)
}

func (f *faultyFile) Sync() error {
	f.syncs.Add(1)
	if f.gate != nil {
		f.gateOnce.Do(func() { <-f.gate })
	}
	if f.failSync.Load() {
		return errDisk
	}
	return f.file.Sync()
}

// wrapWith returns a wrap func that installs ff.
func wrapWith(ff *faultyFile) func(file) file {
	return func(f file) file {
		ff.file = f
		return ff
	}
}
