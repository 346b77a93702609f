package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// run runs one command line in-process with an empty environment unless
// vars are given as key, value pairs.
func run(t *testing.T, args []string, vars ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(key string) string {
		for i := 0; i+1 < len(vars); i += 2 {
			if vars[i] == key {
				return vars[i+1]
			}
		}
		return ""
	}
	code = Run(t.Context(), args, Env{Stdout: &out, Stderr: &errb, Getenv: getenv})
	return code, out.String(), errb.String()
}

func TestStatusPrintsLevelTriggersAndNext(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	code, out, errs := run(t, []string{"status", "--addr", s.URL})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"L0 (normal) since", " ago)", "mode:", "primary", "automation:", "running",
		"TRIGGER", "health_checks", "response_time", "812.3 ms", "> 5000 ms", "error_rate", "pending 1", "0.31 ratio",
		"> 0.1 ratio (x0.5)", "cpu", "no data", "> 90 percent", "scrape failed", "\nnext: watching"} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
}

func TestStatusAfterRollbackShowsVerdictAndWait(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	if code, _, errs := run(t, []string{"rollback", "--addr", s.URL, "--by", "alice"}); code != 0 {
		t.Fatalf("rollback: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, []string{"automation", "pause", "--addr", s.URL}); code != 0 {
		t.Fatalf("pause: exit %d: %s", code, errs)
	}
	_, out, _ := run(t, []string{"status", "--addr", strings.TrimPrefix(s.URL, "http://")})
	for _, want := range []string{"L3 (on_fallback)", "fallback", "incident:", "rollback:", level.RollbackSuccessful,
		"PAUSED", "a person intervened", "next: automation paused"} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
}

// Away from L0, the status names the open incident, so the person on
// call can acknowledge it without another command.
func TestStatusNamesTheOpenIncident(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{Incidents: true})
	if code, _, errs := run(t, []string{"rollback", "--addr", s.URL}); code != 0 {
		t.Fatalf("rollback: exit %d: %s", code, errs)
	}
	_, out, _ := run(t, []string{"status", "--addr", s.URL})
	if !strings.Contains(out, "incident:    "+s.Incidents.Open+" began") {
		t.Errorf("status does not name the open incident %s:\n%s", s.Incidents.Open, out)
	}
}

func TestStatusJSON(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	code, out, _ := run(t, []string{"status", "--json", "--addr", s.URL})
	var st level.Status
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.Level != level.L0 || len(st.Triggers) != 4 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
}

func TestStatusFailsWhenTheGatewayDoesNot(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{Token: "s3cret"})
	code, _, errs := run(t, []string{"status", "--addr", s.URL})
	if code != 1 || !strings.Contains(errs, "UNAUTHENTICATED") {
		t.Fatalf("without the token: exit %d, stderr %q", code, errs)
	}
	if code, out, errs := run(t, []string{"status", "--addr", s.URL}, tokenEnv, "s3cret"); code != 0 || !strings.Contains(out, "next:") {
		t.Fatalf("token from $%s: exit %d %s", tokenEnv, code, errs)
	}
	off := clienttest.Start(t, clienttest.Options{NoEngine: true})
	if code, _, errs := run(t, []string{"status", "--addr", off.URL}); code != 1 || !strings.Contains(errs, "escalation: is disabled") {
		t.Fatalf("without an engine: exit %d, stderr %q", code, errs)
	}
	code, _, errs = run(t, []string{"status", "--addr", "http://127.0.0.1:1", "--timeout", "2s"})
	if code != 1 || !strings.Contains(errs, "unreachable") {
		t.Fatalf("nothing listening: exit %d, stderr %q", code, errs)
	}
}

func TestControlCommandsDriveTheEngine(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	code, out, errs := run(t, []string{"level", "set", "L2", "--by", "alice", "--addr", s.URL})
	if code != 0 || !strings.Contains(out, "ok: L2 (isolated), mode backup") || s.Gateway.Routing().Mode != proxy.ModeBackup {
		t.Fatalf("level set L2: exit %d %q %q", code, out, errs)
	}
	if !hasControlBy(s, "alice") {
		t.Fatal("no control event by alice")
	}
	if code, _, _ := run(t, []string{"rollback", "--addr", s.URL}); code != 0 || s.Gateway.Routing().Mode != proxy.ModeFallback {
		t.Fatalf("rollback: exit %d, routing %v", code, s.Gateway.Routing())
	}
	code, _, errs = run(t, []string{"restore", "start", "--addr", s.URL})
	if code != 1 || !strings.Contains(errs, "not healthy") || !strings.Contains(errs, "FAILED_PRECONDITION") {
		t.Fatalf("restore start with an unhealthy primary: exit %d, stderr %q", code, errs)
	}
	s.Verifier.SetPrimaryHealthy(true)
	for _, args := range [][]string{{"restore", "start"}, {"restore", "abort"}, {"restore", "ack"}, {"automation", "pause"}, {"automation", "resume"}} {
		if code, _, errs := run(t, append(args, "--addr", s.URL, "--by", "bob")); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	if st := s.Engine.Status(time.Now()); !st.Acked || st.AckedBy != "bob" || st.Paused || st.Phase != level.OnFallback {
		t.Fatalf("after restore start, abort, ack, pause, resume: %+v", st.State)
	}
}

func hasControlBy(s *clienttest.Server, by string) bool {
	for _, e := range s.Events.Recent(64) {
		if e.Kind == level.KindControl && e.Fields["by"] == by {
			return true
		}
	}
	return false
}

func TestControlUsageErrorsExit2AndCallNothing(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	for _, args := range [][]string{
		{"level"}, {"level", "set"}, {"level", "set", "L9"}, {"level", "raise", "L2"}, {"level", "set", "L2", "L3"},
		{"rollback", "now"}, {"restore"}, {"restore", "jump"}, {"automation"}, {"automation", "stop"},
		{"status", "extra"}, {"rollback", "--nope"},
	} {
		code, _, errs := run(t, append(args, "--addr", s.URL))
		if code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with usage", args, code, errs)
		}
	}
	if st := s.Engine.Status(time.Now()); st.Level != level.L0 || st.Paused || len(s.Events.Recent(64)) != 0 {
		t.Fatalf("a usage error reached the engine: %+v", st.State)
	}
}

func TestCommandsAreListed(t *testing.T) {
	code, out, _ := run(t, []string{"help"})
	for _, name := range []string{"status", "level", "rollback", "restore", "automation"} {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("usage lacks %q:\n%s", name, out)
		}
	}
	if code != 0 {
		t.Fatalf("help: exit %d, want 0: help asked for is no error", code)
	}
	if code, _, errs := run(t, nil); code != 2 || !strings.Contains(errs, "Usage: lifeboat") {
		t.Fatalf("no command: exit %d, stderr %q; want 2 with the usage", code, errs)
	}
}

// Every command's --help exits 0 and prints its usage once; a verb
// command's usage lists its verbs.
func TestEveryHelpExitsZero(t *testing.T) {
	for _, c := range commands() {
		if c.name == "version" {
			continue
		}
		code, out, errs := run(t, []string{c.name, "--help"})
		text := out + errs
		if code != 0 || !strings.Contains(strings.ToLower(text), "usage") {
			t.Errorf("%s --help: exit %d, output %q; want 0 with a usage", c.name, code, text)
		}
		if n := strings.Count(strings.ToLower(text), "usage: lifeboat"); n > 1 {
			t.Errorf("%s --help prints its usage %d times:\n%s", c.name, n, text)
		}
	}
	_, _, errs := run(t, []string{"restore", "--help"})
	if !strings.Contains(errs, "restore abort|ack|start") {
		t.Errorf("restore --help does not list its verbs:\n%s", errs)
	}
}

func TestNumbersPrintBriefly(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit string
		want string
	}{{5000, "ms", "5000 ms"}, {812.3456, "ms", "812.3 ms"}, {0.2, "ratio", "0.2 ratio"},
		{0.023456, "ratio", "0.02346 ratio"}, {3, "", "3"}, {12345.67, "ms", "12346 ms"}, {-1.5, "", "-1.5"}} {
		if got := withUnit(c.v, c.unit); got != c.want {
			t.Errorf("withUnit(%g, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}

// status --watch redraws in place: a frame a tick, each starting with the
// terminal's clear, until --count frames (or Ctrl-C).
func TestStatusWatchRedraws(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	code, out, errs := run(t, []string{"status", "--watch", "--interval", "10ms", "--count", "3", "--addr", s.URL})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if n := strings.Count(out, clearScreen); n != 3 || strings.Count(out, "L0 (normal) since") != 3 || !strings.Contains(out, "every 10ms") {
		t.Fatalf("%d frames:\n%q", n, out)
	}
	if code, _, _ := run(t, []string{"status", "--watch", "--interval", "0s", "--addr", s.URL}); code != 2 {
		t.Fatalf("a zero interval: exit %d, want 2", code)
	}
	// A gateway that does not answer is said in the frame; the watch goes on.
	code, out, _ = run(t, []string{"status", "--watch", "--interval", "10ms", "--count", "2", "--addr", "http://127.0.0.1:1", "--timeout", "1s"})
	if code != 0 || strings.Count(out, "the gateway does not answer") != 2 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
