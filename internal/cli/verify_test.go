package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/verify"
)

func TestVerifyPassesAgainstTheSimulator(t *testing.T) {
	srv, _ := startOpenViking(t, sim.OpenVikingOptions{APIKey: "k"})
	code, out, errs := run(t, []string{"verify", "--url", srv.URL(), "--header", "X-API-Key: k"})
	if code != 0 || strings.Count(out, " PASS ") != 7 || !strings.Contains(out, "7 of 7 steps passed against "+srv.URL()) {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	for _, want := range []string{"STEP", "RESULT", "health", "search canary", "POST /api/v1/search/find", "GET /api/v1/sessions/lifeboat-verify-"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, []string{"verify", "--url", srv.URL()})
	if code != 1 || !strings.Contains(out, "status 401, want 200") {
		t.Errorf("without the key: exit %d:\n%s", code, out)
	}
}

func TestVerifyFailsUnderCorruptSearch(t *testing.T) {
	srv, _ := startOpenViking(t, sim.OpenVikingOptions{})
	if err := srv.SetFault(sim.Fault{CorruptSearch: true}); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, []string{"verify", "--url", srv.URL()})
	if code != 1 || !strings.Contains(errs, "1 of 7 steps failed") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var row string
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "search canary") {
			row = line
		}
	}
	if !strings.Contains(row, "FAIL") || !strings.Contains(row, "nothing at that path") || !strings.Contains(row, sim.CanaryURI) {
		t.Errorf("search row %q", row)
	}
}

func TestVerifySuiteFileJSON(t *testing.T) {
	srv, _ := startOpenViking(t, sim.OpenVikingOptions{})
	path := filepath.Join(t.TempDir(), "suite.yaml")
	suite := "name: mine\nsteps:\n  - {name: ready, path: /ready, expect: [{path: status, contains: ready}]}\n"
	if err := os.WriteFile(path, []byte(suite), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, []string{"verify", "--url", srv.URL(), "--suite", path, "--json"})
	var rep verify.Report
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || !rep.OK() || rep.Suite != "mine" || len(rep.Steps) != 1 {
		t.Fatalf("exit %d, %v: %s %s", code, err, out, errs)
	}
	if err := os.WriteFile(path, []byte("steps: [{name: a, path: /, expect_stauts: 200}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, []string{"verify", "--url", srv.URL(), "--suite", path}); code != 1 || !strings.Contains(errs, "expect_stauts") {
		t.Errorf("strict suite: exit %d: %s", code, errs)
	}
}
