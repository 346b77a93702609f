// Command measure runs the benchmark's rounds against targets that are
// already listening (bench/run.sh starts them) and writes every raw sample
// as JSON for bench/report to aggregate.
//
// Each round visits every target once, in an order rotated per round so no
// target always runs first or last. Per target it measures closed-loop
// throughput with wrk (with the target's CPU time and peak RSS over that
// run, read from /proc) and open-loop latency with vegeta at each rate.
// After the load rounds come as many connection rounds, which read RSS
// while many idle keep-alive connections are held open.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"
)

// config is the command line.
type config struct {
	targets   string
	out       string
	rounds    int
	duration  time.Duration
	vduration time.Duration
	conns     int
	threads   int
	rates     []int
	idle      int
	lgCPU     int
	sutCPU    int
	wrk       string
	vegeta    string
	pause     time.Duration
	quiet     float64
	quietWait time.Duration
	warmup    time.Duration
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("measure: ")
	c, err := parseFlags()
	if err != nil {
		log.Fatal(err)
	}
	targets, err := loadTargets(c.targets)
	if err != nil {
		log.Fatal(err)
	}
	res := Results{Machine: machineFacts(c), Targets: names(targets)}
	for _, t := range targets {
		warmUp(c, t)
	}
	// Load rounds first, connection rounds after: a process rarely gives
	// back the memory 1,000 connections made it take, and it would inflate
	// every later peak under wrk.
	for r := 0; r < c.rounds; r++ {
		for i := range targets {
			t := targets[(i+r)%len(targets)]
			res.Samples = append(res.Samples, measureLoad(c, r, t))
		}
	}
	for r := 0; r < c.rounds; r++ {
		for i := range targets {
			// Load round r stored target (i+r)%n at index r*n+i.
			res.Samples[r*len(targets)+i].measureIdle(c, targets[(i+r)%len(targets)])
		}
	}
	if err := writeJSON(c.out, res); err != nil {
		log.Fatal(err)
	}
}

func parseFlags() (config, error) {
	var c config
	var rates string
	flag.StringVar(&c.targets, "targets", "targets.json", "JSON list of {name, url, pid}")
	flag.StringVar(&c.out, "out", "results.json", "where to write the raw samples")
	flag.IntVar(&c.rounds, "rounds", 3, "interleaved rounds")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of each wrk run")
	flag.DurationVar(&c.vduration, "vegeta-duration", 10*time.Second, "length of each vegeta run")
	flag.IntVar(&c.conns, "connections", 64, "wrk connections")
	flag.IntVar(&c.threads, "threads", 1, "wrk threads")
	flag.StringVar(&rates, "rates", "1000,5000", "vegeta request rates per second")
	flag.IntVar(&c.idle, "idle", 1000, "idle keep-alive connections for the RSS figure")
	flag.IntVar(&c.lgCPU, "lg-cpu", -1, "CPU the load generators are pinned to (-1: not pinned)")
	flag.IntVar(&c.sutCPU, "sut-cpu", -1, "CPU the targets are pinned to (-1: not pinned)")
	flag.StringVar(&c.wrk, "wrk", "wrk", "wrk binary")
	flag.StringVar(&c.vegeta, "vegeta", "vegeta", "vegeta binary")
	flag.DurationVar(&c.pause, "pause", 500*time.Millisecond, "settling time between runs")
	flag.Float64Var(&c.quiet, "quiet", 0.15, "machine CPU share (0-1) above which a run waits for quiet")
	flag.DurationVar(&c.quietWait, "quiet-wait", 2*time.Minute, "longest wait for a quiet machine before each target")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "wrk warm-up per target before the first round (0: none)")
	flag.Parse()
	for _, s := range strings.Split(rates, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return c, fmt.Errorf("bad rate %q", s)
		}
		c.rates = append(c.rates, n)
	}
	if c.rounds < 1 {
		return c, fmt.Errorf("rounds must be at least 1")
	}
	return c, nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
