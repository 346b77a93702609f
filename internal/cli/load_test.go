package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/load"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// startOpenViking runs the OpenViking simulator on a free loopback port.
func startOpenViking(t *testing.T, opts sim.OpenVikingOptions) (*sim.Server, *sim.OpenViking) {
	t.Helper()
	ov := sim.NewOpenViking(opts)
	srv := sim.NewServer(ov)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return srv, ov
}

func TestLoadPrintsProgressAndSummary(t *testing.T) {
	srv, ov := startOpenViking(t, sim.OpenVikingOptions{})
	addr := strings.TrimPrefix(srv.URL(), "http://")
	code, out, errs := run(t, []string{"load", "--url", addr, "--concurrent", "4", "--duration", "200ms"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"requests:  ", "req/s), 0 failed (0.00%)", "LATENCY", "P50", "P99", "MAX", "RESULT", "\n200 "} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "requests") || !strings.Contains(errs, "req/s") || strings.Contains(errs, "\r") {
		t.Errorf("progress on a non-terminal should be plain lines: %q", errs)
	}
	if _, ok := ov.Session(loadSession); !ok {
		t.Error("the default mix did not create the session it reads")
	}
}

func TestLoadSessionsJSON(t *testing.T) {
	srv, ov := startOpenViking(t, sim.OpenVikingOptions{APIKey: "k"})
	code, out, errs := run(t, []string{"load", "--url", srv.URL(), "--concurrent", "3", "--duration", "1s",
		"--sessions", "--messages", "2", "--header", "X-API-Key: k", "--json"})
	var res load.Result
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s %s", code, err, out, errs)
	}
	if len(res.Acked) == 0 || res.Failed() != 0 || res.Status[200] != res.Total {
		t.Fatalf("acked %d, status %v, errors %v", len(res.Acked), res.Status, res.Errors)
	}
	for _, w := range res.Acked {
		if v, ok := ov.Session(w.SessionID); !ok || v.Messages[w.Index].Text() != w.Content || w.Index > 1 {
			t.Fatalf("write %+v not on the simulator", w)
		}
	}
}

func TestLoadErrorsAndFailOnError(t *testing.T) {
	srv, _ := startOpenViking(t, sim.OpenVikingOptions{})
	if err := srv.SetFault(sim.Fault{ErrorRate: 1, ErrorStatus: 502}); err != nil {
		t.Fatal(err)
	}
	args := []string{"load", "--url", srv.URL(), "--concurrent", "2", "--duration", "100ms", "--path", "/health"}
	code, out, _ := run(t, args)
	if code != 0 || !strings.Contains(out, "\n502 ") || !strings.Contains(out, "failed (100.00%)") {
		t.Fatalf("without --fail-on-error: exit %d:\n%s", code, out)
	}
	code, _, errs := run(t, append(args, "--fail-on-error"))
	if code != 1 || !strings.Contains(errs, "requests failed") {
		t.Fatalf("with --fail-on-error: exit %d: %s", code, errs)
	}
}

func TestLoadSingleRequestAndRefused(t *testing.T) {
	srv, _ := startOpenViking(t, sim.OpenVikingOptions{})
	code, out, _ := run(t, []string{"load", "--url", srv.URL(), "--concurrent", "2", "--duration", "100ms",
		"--path", "/api/v1/search/find", "--body", `{"query":"agent memory"}`, "--json"})
	var res load.Result
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Total != srv.Requests() || res.Status[200] != res.Total {
		t.Fatalf("exit %d, %v: total %d, sim saw %d, status %v", code, err, res.Total, srv.Requests(), res.Status)
	}
	if err := srv.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, []string{"load", "--url", srv.URL(), "--concurrent", "1", "--duration", "50ms", "--path", "/health"})
	if code != 0 || !strings.Contains(out, "connect_refused") {
		t.Fatalf("down: exit %d:\n%s", code, out)
	}
}

func TestLoadUsage(t *testing.T) {
	if code, _, _ := run(t, []string{"load", "--concurrent", "x"}); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	if code, _, errs := run(t, []string{"load", "--header", "nocolon"}); code != 2 || !strings.Contains(errs, "Name: value") {
		t.Errorf("bad header: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, []string{"load", "--url", "http://127.0.0.1:1", "--duration", "10ms"}); code != 1 || !strings.Contains(errs, "setup") {
		t.Errorf("unreachable setup: exit %d: %s", code, errs)
	}
}

func TestShortDurations(t *testing.T) {
	for d, want := range map[time.Duration]string{
		523456 * time.Nanosecond: "523µs", 3123456 * time.Nanosecond: "3.12ms", 31234567 * time.Nanosecond: "31.2ms",
		1234567890 * time.Nanosecond: "1.23s", 2*time.Minute + 3400*time.Millisecond: "2m3s", 0: "0s",
	} {
		if got := short(d); got != want {
			t.Errorf("short(%v) = %q, want %q", d, got, want)
		}
	}
}
