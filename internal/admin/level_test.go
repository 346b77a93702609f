package admin

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

func TestLevelStatusShowsTriggersAndNext(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{}, nil)
	code, out := call(t, f.srv, "GET", "/admin/level", "", "")
	r := result(t, out)
	if code != 200 || r["level"] != "L0" || r["phase"] != "normal" || r["mode"] != "primary" {
		t.Fatalf("GET /admin/level: %d %v", code, out)
	}
	trs, _ := r["triggers"].([]any)
	if len(trs) != 2 || !strings.Contains(r["next"].(string), "watching") {
		t.Fatalf("triggers %v next %q: want both triggers and a next step", trs, r["next"])
	}
}

func TestSetLevelMovesTrafficAndNamesWhoAsked(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{}, nil)
	code, out := call(t, f.srv, "POST", "/admin/level", jsonCT, `{"level":"L2","by":"alice"}`)
	r := result(t, out)
	if code != 200 || r["level"] != "L2" || r["phase"] != "isolated" {
		t.Fatalf("set L2: %d %v", code, out)
	}
	if m := f.gw.Routing().Mode; m != proxy.ModeBackup {
		t.Fatalf("routing after L2: %v, want backup", m)
	}
	ev, err := controlEvent(f.ring, "set level L2")
	if err != nil || ev.Fields["by"] != "alice" {
		t.Fatalf("control event: %+v %v, want one by alice", ev, err)
	}
	if code, out := call(t, f.srv, "POST", "/admin/level", jsonCT, `{"level":"0"}`); code != 200 || result(t, out)["level"] != "L0" {
		t.Fatalf("set L0: %d %v", code, out)
	}
	if m := f.gw.Routing().Mode; m != proxy.ModePrimary {
		t.Fatalf("routing after L0: %v, want primary", m)
	}
}

func TestRollbackAndRestoreWalk(t *testing.T) {
	ver := &stubVerifier{}
	f := newLevelFixture(t, ver, nil)
	code, out := call(t, f.srv, "POST", "/admin/rollback", "", "")
	r := result(t, out)
	if code != 200 || r["level"] != "L3" || r["phase"] != "on_fallback" || r["rollback"] != level.RollbackSuccessful {
		t.Fatalf("rollback: %d %v", code, out)
	}
	if f.gw.Routing().Mode != proxy.ModeFallback {
		t.Fatalf("routing after rollback: %v, want fallback", f.gw.Routing())
	}
	code, out = call(t, f.srv, "POST", "/admin/restore/start", jsonCT, `{"by":"bob"}`)
	if e := errorOf(out); code != 409 || e["code"] != "FAILED_PRECONDITION" || !strings.Contains(e["message"].(string), "not healthy") {
		t.Fatalf("restore with an unhealthy primary: %d %v, want 409 saying why", code, out)
	}
	ver.setPrimary(true)
	code, out = call(t, f.srv, "POST", "/admin/restore/start", jsonCT, `{"by":"bob"}`)
	if r := result(t, out); code != 200 || r["phase"] != "restoring" {
		t.Fatalf("restore start: %d %v", code, out)
	}
	if rt := f.gw.Routing(); rt.Mode != proxy.ModeSplit || rt.PrimaryWeight != 10 {
		t.Fatalf("routing in the first restore step: %+v, want split 10", rt)
	}
	code, out = call(t, f.srv, "POST", "/admin/restore/abort", "", "")
	if r := result(t, out); code != 200 || r["phase"] != "on_fallback" || f.gw.Routing().Mode != proxy.ModeFallback {
		t.Fatalf("restore abort: %d %v routing %v", code, out, f.gw.Routing())
	}
}

func TestAckDefaultsByToTheAPIAndCaller(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{}, nil)
	call(t, f.srv, "POST", "/admin/rollback", jsonCT, `{"by":"carol"}`)
	code, out := call(t, f.srv, "POST", "/admin/restore/ack", "", "")
	r := result(t, out)
	by, _ := r["acked_by"].(string)
	if code != 200 || r["acked"] != true || !strings.HasPrefix(by, "admin api (127.0.0.1:") {
		t.Fatalf("ack: %d %v, want acked by the admin API and the caller's address", code, out)
	}
}

func TestPauseAndResume(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{}, nil)
	for _, c := range []struct {
		path   string
		paused bool
	}{{"/admin/automation/pause", true}, {"/admin/automation/resume", false}} {
		code, out := call(t, f.srv, "POST", c.path, jsonCT, `{"by":"dave"}`)
		if r := result(t, out); code != 200 || r["paused"] != c.paused {
			t.Fatalf("%s: %d %v", c.path, code, out)
		}
	}
	if st := f.engine.Status(time.Now()); st.Paused {
		t.Fatal("engine still paused after resume")
	}
}

func TestCommandsOutOfStateAre409AndChangeNothing(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{primaryOK: true}, nil)
	for _, p := range []string{"/admin/restore/start", "/admin/restore/abort", "/admin/restore/ack"} {
		code, out := call(t, f.srv, "POST", p, "", "")
		e := errorOf(out)
		if code != 409 || e["code"] != "FAILED_PRECONDITION" || e["field"] != "state" ||
			!strings.Contains(e["message"].(string), "now L0") {
			t.Errorf("POST %s at L0: %d %v, want 409 FAILED_PRECONDITION naming the state", p, code, out)
		}
	}
	if st := f.engine.Status(time.Now()); st.Level != level.L0 || st.Manual || f.gw.Routing().Mode != proxy.ModePrimary {
		t.Fatalf("refused commands changed state: %+v routing %v", st.State, f.gw.Routing())
	}
}

func TestLevelBadInputNamesTheField(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{}, nil)
	cases := []struct{ path, ctype, body, field string }{
		{"/admin/level", jsonCT, `{}`, "level"},
		{"/admin/level", jsonCT, `{"level":"L9"}`, "level"},
		{"/admin/level", jsonCT, `{"level":"critical"}`, "level"},
		{"/admin/level", jsonCT, `{"level":2}`, "level"},
		{"/admin/level", jsonCT, `{"level":"L2","by":""}`, "by"},
		{"/admin/level", jsonCT, `{"level":"L2","who":"x"}`, "who"},
		{"/admin/level", "text/plain", `{"level":"L2"}`, "Content-Type"},
		{"/admin/rollback", jsonCT, `{"by":"a\nb"}`, "by"},
		{"/admin/rollback", jsonCT, `{"by":"` + strings.Repeat("x", 201) + `"}`, "by"},
		{"/admin/rollback", jsonCT, `{"by":7}`, "by"},
		{"/admin/automation/pause", jsonCT, `{"now":true}`, "now"},
		{"/admin/restore/ack", jsonCT, `[]`, "body"},
	}
	for _, c := range cases {
		code, out := call(t, f.srv, "POST", c.path, c.ctype, c.body)
		e := errorOf(out)
		if code != 400 || e["field"] != c.field || e["code"] != "INVALID_ARGUMENT" {
			t.Errorf("POST %s %s: %d %v, want 400 naming %q", c.path, trim(c.body), code, out, c.field)
		}
	}
	if st := f.engine.Status(time.Now()); st.Level != level.L0 || st.Paused || f.gw.Routing().Mode != proxy.ModePrimary {
		t.Fatalf("bad input changed state: %+v", st.State)
	}
}

func TestLevelCallsWithoutEngineAre404(t *testing.T) {
	srv, _, _ := newAPI(t, "")
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/level"}, {"POST", "/admin/level"}, {"POST", "/admin/rollback"},
		{"POST", "/admin/restore/start"}, {"POST", "/admin/automation/pause"},
	} {
		code, out := call(t, srv, c.method, c.path, "", "")
		e := errorOf(out)
		if code != 404 || e["field"] != "escalation" || !strings.Contains(e["message"].(string), "disabled") {
			t.Errorf("%s %s without an engine: %d %v, want 404 saying escalation is disabled", c.method, c.path, code, out)
		}
	}
}

func TestLevelCallsNeedTheToken(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{}, func(o *Options) { o.Token = "s3cret" })
	if code, _ := call(t, f.srv, "POST", "/admin/rollback", "", ""); code != 401 {
		t.Fatalf("rollback without a token: %d, want 401", code)
	}
	if code, _ := call(t, f.srv, "GET", "/admin/level", "", "", "Authorization", "Bearer s3cret"); code != 200 {
		t.Fatalf("GET /admin/level with the token: %d", code)
	}
	if st := f.engine.Status(time.Now()); st.Level != level.L0 {
		t.Fatalf("an unauthorised rollback changed the level to %s", st.Level)
	}
}

// A command that cannot get the engine within LevelTimeout answers 503 and
// is not applied later.
func TestBusyEngineAnswers503(t *testing.T) {
	ver := &stubVerifier{hold: make(chan struct{}), entered: make(chan struct{})}
	f := newLevelFixture(t, ver, func(o *Options) { o.LevelTimeout = 50 * time.Millisecond })
	done := make(chan error, 1)
	go func() { done <- f.engine.ForceRollback(t.Context(), "test") }()
	<-ver.entered
	code, out := call(t, f.srv, "POST", "/admin/automation/pause", "", "")
	if e := errorOf(out); code != 503 || e["code"] != "UNAVAILABLE" {
		t.Fatalf("pause while the engine is busy: %d %v, want 503", code, out)
	}
	close(ver.hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st := f.engine.Status(time.Now()); st.Paused || st.Level != level.L3 {
		t.Fatalf("after the busy rollback: %+v, want L3 and not paused", st.State)
	}
}

type fixedHealth struct{ st health.Status }

func (f fixedHealth) Status() health.Status { return f.st }

func statusFor(gw *proxy.Gateway, routes *route.Table) *Status {
	up := fixedHealth{health.Status{State: health.Up}}
	return &Status{Gateway: gw, Upstreams: [2]Upstream{{Name: "primary", Health: up}, {Name: "fallback", Health: up}},
		Stats:   stats.NewRecorder(proxy.TargetNames, routes.Names(), stats.WindowSettings{}),
		Targets: proxy.TargetNames, Routes: routes.Names(), Started: time.Now()}
}

func TestStatusShowsEscalationOnlyWithAnEngine(t *testing.T) {
	f := newLevelFixture(t, &stubVerifier{}, func(o *Options) {
		gw := o.Gateway.(*proxy.Gateway)
		o.Status = statusFor(gw, route.New(config.DefaultRoutes()))
	})
	call(t, f.srv, "POST", "/admin/level", jsonCT, `{"level":"L1"}`)
	_, out := call(t, f.srv, "GET", "/status", "", "")
	esc, _ := out["escalation"].(map[string]any)
	if out["status"] == nil || esc == nil || esc["level"] != "L1" || esc["next"] == "" {
		t.Fatalf("/status with an engine: %v, want an escalation part at L1", out)
	}
	gw, routes := newGateway(t)
	o := testOptions(gw, "", event.NewRing(4))
	o.Status = statusFor(gw, routes)
	_, out = call(t, serve(t, o), "GET", "/status", "", "")
	if _, ok := out["escalation"]; ok || out["routing"] == nil {
		t.Fatalf("/status without an engine: %v, want routing and no escalation part", out)
	}
}
