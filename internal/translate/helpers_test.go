package translate

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// reply is a translated response, read and decoded.
type reply struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// envelope fields of a decoded reply.
func (r reply) result() map[string]any { m, _ := r.body["result"].(map[string]any); return m }
func (r reply) errCode() string        { return r.errField("code") }
func (r reply) errMessage() string     { return r.errField("message") }

func (r reply) errField(k string) string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e[k].(string)
	return s
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// startLightRAG serves a LightRAG simulator on loopback.
func startLightRAG(t testing.TB, opts sim.LightRAGOptions) (*sim.LightRAG, *url.URL) {
	t.Helper()
	l := sim.NewLightRAG(opts)
	t.Cleanup(l.Close) // registered first, so it runs after the listener is closed
	return l, serve(t, l)
}

// waitIndexed waits, at most five seconds, until the track status of every
// text inserted into l says "processed": LightRAG indexes in the background.
func waitIndexed(t testing.TB, l *sim.LightRAG, u *url.URL) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for _, id := range l.Tracks() {
		for !trackProcessed(t, ctx, u, id) {
			select {
			case <-ctx.Done():
				t.Fatalf("track %s not processed within 5s", id)
			case <-tick.C:
			}
		}
	}
}

// trackProcessed asks GET /documents/track_status/{id} whether every
// document of the track is processed.
func trackProcessed(t testing.TB, ctx context.Context, u *url.URL, id string) bool {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", u.String()+"/documents/track_status/"+url.PathEscape(id), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("track status %s: %v", id, err)
	}
	defer resp.Body.Close()
	var st struct {
		Total   int            `json:"total_count"`
		Summary map[string]int `json:"status_summary"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatalf("track status %s: %v", id, err)
	}
	return st.Total > 0 && st.Summary["processed"] == st.Total
}

// onSimulator is the usual fixture: the builtin rules in front of a
// LightRAG simulator with default options.
func onSimulator(t testing.TB) (*sim.LightRAG, *Translator) {
	t.Helper()
	l, u := startLightRAG(t, sim.LightRAGOptions{})
	return l, newTranslator(t, Options{Fallback: u})
}

// standIn serves h on loopback, for fallback answers the simulator does
// not give.
func standIn(t testing.TB, h http.HandlerFunc) *url.URL { return serve(t, h) }

func serve(t testing.TB, h http.Handler) *url.URL {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// answer returns a handler that always answers status and body.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func newTranslator(t testing.TB, o Options) *Translator {
	t.Helper()
	if o.Rules == nil {
		o.Rules = Builtin()
	}
	tr, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// request is an OpenViking call as the gateway hands it over: aimed at
// the fallback host already.
func request(ctx context.Context, method, path, body string, header ...string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequestWithContext(ctx, method, "http://fallback.invalid"+path, rd)
	if err != nil {
		panic(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r
}

// do translates one call and checks what every reply must have: JSON,
// a Content-Length that is right, and the rule's name when one matched.
func do(t testing.TB, tr *Translator, method, path, body string, header ...string) reply {
	t.Helper()
	resp, err := tr.RoundTrip(request(t.Context(), method, path, body, header...))
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
	}
	if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(raw)) || resp.ContentLength != int64(len(raw)) {
		t.Errorf("Content-Length %q / %d for %d bytes", cl, resp.ContentLength, len(raw))
	}
	if name, ok := tr.Match(method, path); ok && resp.Header.Get(HeaderRule) != name {
		t.Errorf("%s = %q, want %q", HeaderRule, resp.Header.Get(HeaderRule), name)
	}
	rep := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if err := json.Unmarshal(raw, &rep.body); err != nil {
		t.Fatalf("body %q: %v", raw, err)
	}
	return rep
}

// wantError checks an OpenViking error envelope.
func wantError(t testing.TB, r reply, status int, code, msgPart string) {
	t.Helper()
	if r.status != status || r.body["status"] != "error" || r.errCode() != code {
		t.Fatalf("got %d %s, want %d %s", r.status, r.raw, status, code)
	}
	if !strings.Contains(r.errMessage(), msgPart) {
		t.Errorf("message %q does not mention %q", r.errMessage(), msgPart)
	}
}

// resources returns the search result's resources.
func resources(t testing.TB, r reply) []map[string]any {
	t.Helper()
	if r.status != http.StatusOK || r.body["status"] != "ok" {
		t.Fatalf("search: %d %s", r.status, r.raw)
	}
	list, _ := r.result()["resources"].([]any)
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i], _ = v.(map[string]any)
	}
	return out
}
