package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"time"
)

// wrkRun is one closed-loop run's outcome.
type wrkRun struct {
	Requests int64   `json:"requests"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	// Errors counts socket errors and non-2xx/3xx answers; a run with
	// errors measured something other than the proxy's happy path.
	Errors int64 `json:"errors"`
}

var (
	wrkTotal  = regexp.MustCompile(`(\d+) requests in ([\d.]+)(us|ms|s|m)`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSocket = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func runWrk(c config, url string, d time.Duration) (wrkRun, error) {
	cmd := exec.Command(c.wrk, "-t"+strconv.Itoa(c.threads), "-c"+strconv.Itoa(c.conns),
		"-d"+strconv.Itoa(max(1, int(d.Seconds())))+"s", url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkRun{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	return parseWrk(out)
}

func parseWrk(out []byte) (wrkRun, error) {
	m := wrkTotal.FindSubmatch(out)
	if m == nil {
		return wrkRun{}, fmt.Errorf("wrk: no totals in output: %s", out)
	}
	var r wrkRun
	r.Requests, _ = strconv.ParseInt(string(m[1]), 10, 64)
	r.Seconds, _ = strconv.ParseFloat(string(m[2]), 64)
	r.Seconds *= map[string]float64{"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[string(m[3])]
	if r.Seconds > 0 {
		r.RPS = float64(r.Requests) / r.Seconds
	}
	if m := wrkNon2xx.FindSubmatch(out); m != nil {
		r.Errors += atoi(m[1])
	}
	if m := wrkSocket.FindSubmatch(out); m != nil {
		for _, g := range m[1:] {
			r.Errors += atoi(g)
		}
	}
	return r, nil
}

func atoi(b []byte) int64 {
	n, _ := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	return n
}
