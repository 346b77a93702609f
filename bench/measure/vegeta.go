package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// latency is one open-loop run's outcome, in milliseconds.
type latency struct {
	Rate    int     `json:"rate"`
	P50     float64 `json:"p50_ms"`
	P90     float64 `json:"p90_ms"`
	P99     float64 `json:"p99_ms"`
	Max     float64 `json:"max_ms"`
	Success float64 `json:"success"`
	// Achieved is the request rate vegeta actually sent; below Rate means
	// the load generator could not keep up and the figure is suspect.
	Achieved float64 `json:"achieved_rate"`
}

// vegetaReport is the part of `vegeta report -type=json` we read.
type vegetaReport struct {
	Latencies struct {
		P50 int64 `json:"50th"`
		P90 int64 `json:"90th"`
		P99 int64 `json:"99th"`
		Max int64 `json:"max"`
	} `json:"latencies"`
	Rate    float64 `json:"rate"`
	Success float64 `json:"success"`
}

// runVegeta pipes `vegeta attack` into `vegeta report -type=json`.
func runVegeta(c config, url string, rate int, d time.Duration) (latency, error) {
	attack := exec.Command(c.vegeta, "attack", "-rate="+strconv.Itoa(rate)+"/1s",
		"-duration="+d.String(), "-timeout=10s")
	attack.Stdin = strings.NewReader("GET " + url + "\n")
	report := exec.Command(c.vegeta, "report", "-type=json")
	pipe, err := attack.StdoutPipe()
	if err != nil {
		return latency{}, err
	}
	report.Stdin = pipe
	var errs strings.Builder
	attack.Stderr, report.Stderr = &errs, &errs
	if err := attack.Start(); err != nil {
		return latency{}, fmt.Errorf("vegeta attack: %w", err)
	}
	out, rerr := report.Output()
	if err := attack.Wait(); err != nil {
		return latency{}, fmt.Errorf("vegeta attack: %v: %s", err, errs.String())
	}
	if rerr != nil {
		return latency{}, fmt.Errorf("vegeta report: %v: %s", rerr, errs.String())
	}
	return parseVegeta(out, rate)
}

func parseVegeta(out []byte, rate int) (latency, error) {
	var v vegetaReport
	if err := json.Unmarshal(out, &v); err != nil {
		return latency{}, fmt.Errorf("vegeta report: %w: %s", err, out)
	}
	ms := func(ns int64) float64 { return float64(ns) / 1e6 }
	return latency{Rate: rate, P50: ms(v.Latencies.P50), P90: ms(v.Latencies.P90), P99: ms(v.Latencies.P99),
		Max: ms(v.Latencies.Max), Success: v.Success, Achieved: v.Rate}, nil
}
