package admin

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
)

// newFaultAPI serves the admin API with a real injector in front of a
// primary on loopback.
func newFaultAPI(t *testing.T) (*httptest.Server, *fault.Injector, *event.Ring) {
	t.Helper()
	gw, _ := newGateway(t)
	ring := event.NewRing(16)
	inj := fault.New(fault.Options{Primary: &url.URL{Scheme: "http", Host: "127.0.0.1:1933"}, Events: ring})
	t.Cleanup(inj.Stop)
	o := testOptions(gw, "", ring)
	o.Faults = inj
	return serve(t, o), inj, ring
}

func TestFaultSetShowClear(t *testing.T) {
	srv, inj, ring := newFaultAPI(t)
	code, out := call(t, srv, "POST", "/admin/faults", jsonCT, `{"latency_ms":300,"jitter_ms":50,"duration_ms":30000,"by":"drill"}`)
	res, _ := out["result"].(map[string]any)
	if code != 200 || res["active"] != true || res["by"] != "drill" || res["remaining_ms"].(float64) <= 0 {
		t.Fatalf("set: %d %v", code, out)
	}
	if st := inj.Status(); st.Fault.LatencyMS != 300 || st.Fault.JitterMS != 50 {
		t.Fatalf("injector state %+v", st)
	}
	code, out = call(t, srv, "GET", "/admin/faults", "", "")
	res, _ = out["result"].(map[string]any)
	if f, _ := res["fault"].(map[string]any); code != 200 || f["latency_ms"] != 300.0 || f["duration_ms"] != 30000.0 {
		t.Fatalf("show: %d %v", code, out)
	}
	code, out = call(t, srv, "DELETE", "/admin/faults", "", "")
	if res, _ = out["result"].(map[string]any); code != 200 || res["active"] != false || inj.Status().Active {
		t.Fatalf("clear: %d %v", code, out)
	}
	evs := ring.Recent(4)
	if len(evs) != 2 || evs[0].Kind != fault.KindSet || evs[1].Kind != fault.KindCleared ||
		!strings.HasPrefix(evs[1].Fields["by"].(string), "admin api (") {
		t.Fatalf("events %+v", evs)
	}
}

func TestFaultSetRefusesBadInput(t *testing.T) {
	srv, inj, _ := newFaultAPI(t)
	cases := []struct{ body, field string }{
		{`{"down":true}`, "duration_ms"},
		{`{"down":true,"duration_ms":3600001}`, "duration_ms"},
		{`{"duration_ms":1000}`, "body"},
		{`{"error_rate":2,"duration_ms":1000}`, "error_rate"},
		{`{"error_rate":0.5,"error_status":302,"duration_ms":1000}`, "error_status"},
		{`{"latency_ms":-1,"duration_ms":1000}`, "latency_ms"},
		{`{"latency_ms":1.5,"duration_ms":1000}`, "latency_ms"},
		{`{"down":"yes","duration_ms":1000}`, "down"},
		{`{"cpu_percent":90,"duration_ms":1000}`, "cpu_percent"},
		{`{"down":true,"duration_ms":1000,"by":" "}`, "by"},
		{`{"down":true,"duration_ms":1000}{}`, "body"},
	}
	for _, c := range cases {
		code, out := call(t, srv, "POST", "/admin/faults", jsonCT, c.body)
		e, _ := out["error"].(map[string]any)
		if code != http.StatusBadRequest || e["field"] != c.field {
			t.Errorf("%s: got %d %v, want 400 naming %s", c.body, code, out, c.field)
		}
	}
	if inj.Status().Active {
		t.Fatal("a refused call set a fault")
	}
	if code, _ := call(t, srv, "POST", "/admin/faults", "text/plain", `{"down":true,"duration_ms":1000}`); code != 400 {
		t.Fatalf("wrong content type: %d", code)
	}
}

func TestFaultCallsAfterStopAndWithoutInjector(t *testing.T) {
	srv, inj, _ := newFaultAPI(t)
	inj.Stop()
	code, out := call(t, srv, "POST", "/admin/faults", jsonCT, `{"down":true,"duration_ms":1000}`)
	if e, _ := out["error"].(map[string]any); code != http.StatusConflict || e["field"] != "state" {
		t.Fatalf("after Stop: %d %v", code, out)
	}
	off, _, _ := newAPI(t, "")
	for _, m := range []string{"GET", "POST", "DELETE"} {
		code, out := call(t, off, m, "/admin/faults", jsonCT, `{"down":true,"duration_ms":1000}`)
		if e, _ := out["error"].(map[string]any); code != http.StatusNotFound || e["field"] != "faults" {
			t.Errorf("%s without an injector: %d %v", m, code, out)
		}
	}
}
