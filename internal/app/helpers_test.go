package app_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/cli"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/testtool"
)

// TestMain lets the test binary double as the lifeboat command, so tests
// can run a simulator as a real process and kill it with SIGKILL.
func TestMain(m *testing.M) {
	if args := os.Getenv("LIFEBOAT_TEST_EXEC"); args != "" {
		os.Exit(cli.Run(context.Background(), strings.Fields(args), cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// startSimProcess runs "lifeboat sim KIND" as a child process and returns
// its URL and the process, killed at cleanup if still alive.
func startSimProcess(t *testing.T, kind string) (string, *os.Process) {
	t.Helper()
	return startProcess(t, "sim "+kind+" --listen 127.0.0.1:0", `listening on (http://\S+)`)
}

// startProcess runs the lifeboat command with args as a child process and
// waits for its standard error to match pattern, whose first group it
// returns. The process is killed at cleanup if still alive.
func startProcess(t *testing.T, args, pattern string) (string, *os.Process) {
	t.Helper()
	c, m := startChild(t, args, args, pattern)
	return m, c.cmd.Process
}

// startSim runs a simulator in-process on a free loopback port.
var startSim = testtool.StartSim

// testConfig points the gateway at the given upstreams with quick checks.
// Escalation is off: these tests drive the gateway core by hand, and the
// escalation tests turn it on with a state directory of their own.
func testConfig(primary, fallback string) config.Config {
	c := config.Default()
	c.Listen = "127.0.0.1:0"
	c.Escalation.Enabled = false
	c.Journal.Enabled = false // on in the journal tests, with a directory of their own
	c.Upstreams.Primary.URL, c.Upstreams.Fallback.URL = primary, fallback
	for _, h := range []*config.HealthCheck{&c.Upstreams.Primary.Health, &c.Upstreams.Fallback.Health} {
		h.Interval, h.FastInterval, h.Timeout = 100*time.Millisecond, 25*time.Millisecond, 200*time.Millisecond
	}
	return c
}

// startApp runs the whole gateway in-process.
func startApp(t *testing.T, c config.Config) *app.App { return testtool.StartApp(t, c) }

// testClient bounds every call of get and post, so a replica that hangs
// fails the test instead of stalling the suite.
var testClient = &http.Client{Timeout: 30 * time.Second}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := testClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := testClient.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls cond, bounded so a failure cannot hang the suite.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	within(t, 10*time.Second, what, cond)
}

// within polls cond for at most d: for waits known to be longer than
// eventually's, or a bound that is the point of the test.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %v", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
