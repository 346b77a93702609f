package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

func apiErr(t *testing.T, err error) *client.APIError {
	t.Helper()
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	return ae
}

func TestLevelReadsEveryTrigger(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	st, err := client.New(s.URL, "", nil).Level(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Level != level.L0 || st.Phase != level.Normal || st.Mode != "primary" || st.Next == "" {
		t.Fatalf("status %+v", st)
	}
	want := clienttest.Evidence()
	if len(st.Triggers) != len(want) {
		t.Fatalf("got %d triggers, want %d", len(st.Triggers), len(want))
	}
	for i, ev := range st.Triggers {
		w := want[i]
		if ev.Trigger != w.Trigger || ev.State != w.State || ev.Value != w.Value || ev.Valid != w.Valid ||
			ev.Threshold != w.Threshold || ev.Scale != w.Scale || ev.Error != w.Error || !ev.Since.Equal(w.Since) || ev.For != w.For {
			t.Errorf("trigger %d after the round trip: %+v, want %+v", i, ev, want[i])
		}
	}
}

func TestLevelCommandsWalkRollbackAndRestore(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	c, ctx := client.New(s.URL, "", nil), t.Context()
	st, err := c.SetLevel(ctx, level.L2, "alice")
	if err != nil || st.Level != level.L2 || s.Gateway.Routing().Mode != proxy.ModeBackup {
		t.Fatalf("SetLevel L2: %+v %v, routing %v", st.State, err, s.Gateway.Routing())
	}
	st, err = c.Rollback(ctx, "alice")
	if err != nil || st.Phase != level.OnFallback || st.Rollback != level.RollbackSuccessful {
		t.Fatalf("Rollback: %+v %v", st.State, err)
	}
	_, err = c.RestoreStart(ctx, "alice")
	if ae := apiErr(t, err); ae.StatusCode != 409 || ae.Code != "FAILED_PRECONDITION" || ae.Field != "state" ||
		!strings.Contains(ae.Message, "not healthy") {
		t.Fatalf("RestoreStart with an unhealthy primary: %+v", ae)
	}
	s.Verifier.SetPrimaryHealthy(true)
	if st, err = c.RestoreStart(ctx, "alice"); err != nil || st.Phase != level.Restoring {
		t.Fatalf("RestoreStart: %+v %v", st.State, err)
	}
	if st, err = c.RestoreAbort(ctx, ""); err != nil || st.Phase != level.OnFallback {
		t.Fatalf("RestoreAbort: %+v %v", st.State, err)
	}
	if st, err = c.RestoreAck(ctx, ""); err != nil || !st.Acked || !strings.HasPrefix(st.AckedBy, "admin api (") {
		t.Fatalf("RestoreAck: %+v %v, want acked by the admin API", st.State, err)
	}
}

func TestPauseAndResume(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	c, ctx := client.New(s.URL, "", nil), t.Context()
	if st, err := c.Pause(ctx, "bob"); err != nil || !st.Paused || !strings.Contains(st.Next, "paused") {
		t.Fatalf("Pause: %+v %v", st, err)
	}
	if st, err := c.Resume(ctx, "bob"); err != nil || st.Paused {
		t.Fatalf("Resume: %+v %v", st, err)
	}
	if st := s.Engine.Status(time.Now()); st.Paused {
		t.Fatal("the engine is still paused")
	}
}

func TestGatewayCallsChangeTheGateway(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	c, ctx := client.New(s.URL+"/", "", nil), t.Context()
	if rt, err := c.SetRoute(ctx, client.Routing{Mode: "split", PrimaryWeight: 25}); err != nil || rt.PrimaryWeight != 25 {
		t.Fatalf("SetRoute: %+v %v", rt, err)
	}
	if rt, err := c.Route(ctx); err != nil || rt != (client.Routing{Mode: "split", PrimaryWeight: 25}) {
		t.Fatalf("Route: %+v %v", rt, err)
	}
	b, err := c.EnableBreaker(ctx, client.BreakerSettings{FailureThreshold: 7, RecoveryTimeout: 45 * time.Second})
	if err != nil || b["enabled"] != true || s.Gateway.Breaker().Snapshot().Settings.RecoveryTimeout != 45*time.Second {
		t.Fatalf("EnableBreaker: %v %v", b, err)
	}
	q, err := c.EnableQueue(ctx, client.QueueSettings{MaxQueueSize: 1000, Timeout: 30 * time.Second})
	if err != nil || q["max_queue_size"] != 1000.0 || s.Gateway.Queue().Snapshot().Settings.Timeout != 30*time.Second {
		t.Fatalf("EnableQueue: %v %v", q, err)
	}
	if _, err := c.ResizeCache(ctx, 2000); err != nil || s.Gateway.CacheStore().Snapshot().MaxEntries != 2000 {
		t.Fatalf("ResizeCache: %v", err)
	}
	if _, err := c.AggressiveCache(ctx, true, 10*time.Minute); err != nil || s.Gateway.CacheStore().Snapshot().AggressiveTTL != 10*time.Minute {
		t.Fatalf("AggressiveCache: %v", err)
	}
	if _, err := c.DisableBreaker(ctx); err != nil || s.Gateway.Breaker() != nil {
		t.Fatalf("DisableBreaker: %v", err)
	}
	if _, err := c.DisableQueue(ctx); err != nil || s.Gateway.Queue() != nil {
		t.Fatalf("DisableQueue: %v", err)
	}
}

func TestStatusIncludesEscalation(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	out, err := client.New(s.URL, "", nil).Status(t.Context())
	esc, _ := out["escalation"].(map[string]any)
	if err != nil || out["routing"] == nil || esc == nil || esc["level"] != "L0" {
		t.Fatalf("Status: %v %v", out, err)
	}
}

func TestRefusalsCarryCodeFieldAndMessage(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	c := client.New(s.URL, "", nil)
	_, err := c.SetRoute(t.Context(), client.Routing{Mode: "sideways"})
	if ae := apiErr(t, err); ae.StatusCode != 400 || ae.Code != "INVALID_ARGUMENT" || ae.Field != "mode" || !strings.HasPrefix(ae.Error(), "mode: ") {
		t.Fatalf("bad mode: %+v", ae)
	}
	_, err = c.SetLevel(t.Context(), level.Level(9), "")
	if ae := apiErr(t, err); ae.StatusCode != 400 || ae.Field != "level" {
		t.Fatalf("bad level: %+v", ae)
	}
	off := clienttest.Start(t, clienttest.Options{NoEngine: true})
	_, err = client.New(off.URL, "", nil).Level(t.Context())
	if ae := apiErr(t, err); ae.StatusCode != 404 || ae.Field != "escalation" {
		t.Fatalf("Level without an engine: %+v", ae)
	}
}

func TestTokenIsSent(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{Token: "s3cret"})
	_, err := client.New(s.URL, "", nil).Rollback(t.Context(), "")
	if ae := apiErr(t, err); ae.StatusCode != 401 || ae.Code != "UNAUTHENTICATED" {
		t.Fatalf("without the token: %+v", ae)
	}
	if _, err := client.New(s.URL, "s3cret", nil).Level(t.Context()); err != nil {
		t.Fatalf("with the token: %v", err)
	}
	if st := s.Engine.Status(time.Now()); st.Level != level.L0 {
		t.Fatalf("a refused rollback changed the level to %s", st.Level)
	}
}

func TestUnreachableGateway(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	_, err := client.New(addr, "", nil).Level(t.Context())
	if !errors.Is(err, client.ErrUnreachable) || !strings.Contains(err.Error(), addr) {
		t.Fatalf("closed gateway: %v, want ErrUnreachable naming %s", err, addr)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := client.New(addr, "", nil).Status(ctx); !errors.Is(err, client.ErrUnreachable) {
		t.Fatalf("cancelled call: %v, want ErrUnreachable", err)
	}
}

// An address that reaches something other than the admin API, such as
// the upstream behind a gateway without /status, says so.
func TestAnswerThatIsNotTheAdminAPI(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, "", nil)
	_, err := c.Level(t.Context())
	if ae := apiErr(t, err); ae.Code != "HTTP_502" || !strings.Contains(ae.Message, "bad gateway") {
		t.Fatalf("Level: %+v", ae)
	}
	if _, err := c.Status(t.Context()); apiErr(t, err).StatusCode != 502 {
		t.Fatalf("Status: %v", err)
	}
}
