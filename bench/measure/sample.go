package main

import (
	"log"
	"time"
)

// Results is everything one benchmark run measured.
type Results struct {
	Machine Machine  `json:"machine"`
	Targets []string `json:"targets"`
	Samples []Sample `json:"samples"`
}

// Sample is one target measured in one round.
type Sample struct {
	Round  int    `json:"round"`
	Target string `json:"target"`
	// Wrk is the closed-loop run; CPUUsPerReq and PeakRSSKB are the
	// target's over that run.
	Wrk         wrkRun  `json:"wrk"`
	CPUUsPerReq float64 `json:"cpu_us_per_req"`
	PeakRSSKB   int64   `json:"peak_rss_kb"`
	// PeakReset is false when VmHWM could not be reset, so PeakRSSKB is
	// the peak since the target started.
	PeakReset bool `json:"peak_reset"`
	// SUTBusy and LGBusy are how busy the target's CPU and the load
	// generator's CPU were during the wrk run (0 to 1, -1 unknown). A
	// load-generator CPU near 1 means wrk, not the target, set the pace.
	SUTBusy float64 `json:"sut_cpu_busy"`
	// TargetShare is the target's own CPU time over the wrk run's wall
	// time; SUTBusy well above it means something else ran on its CPU.
	TargetShare float64 `json:"target_cpu_share"`
	// Background is how busy the whole machine was just before the
	// target was measured, with every target idle (0 to 1).
	Background float64   `json:"background_busy"`
	LGBusy     float64   `json:"lg_cpu_busy"`
	Latencies  []latency `json:"latencies"`
	Idle       idleRun   `json:"idle"`
	Errors     []string  `json:"errors,omitempty"`
}

func warmUp(c config, t Target) {
	if c.warmup <= 0 {
		return
	}
	if _, err := runWrk(c, t.URL, c.warmup); err != nil {
		log.Printf("%s: warm-up: %v", t.Name, err)
	}
}

// measureLoad takes one round's closed-loop and open-loop figures.
func measureLoad(c config, round int, t Target) Sample {
	s := Sample{Round: round, Target: t.Name, Background: waitQuiet(c, t.Name)}
	s.closedLoop(c, t, family(t.PID))
	for _, rate := range c.rates {
		time.Sleep(c.pause)
		l, err := runVegeta(c, t.URL, rate, c.vduration)
		s.note(err)
		s.Latencies = append(s.Latencies, l)
	}
	time.Sleep(c.pause)
	log.Printf("round %d %-18s %8.0f req/s %6.1f us/req (cpu %.2f, bg %.2f) peak %5.1f MB  p50/p99@%d %.3f/%.3f ms",
		round+1, t.Name, s.Wrk.RPS, s.CPUUsPerReq, s.TargetShare, s.Background, float64(s.PeakRSSKB)/1024,
		c.rates[0], s.Latencies[0].P50, s.Latencies[0].P99)
	return s
}

// measureIdle adds the round's idle-connection figures.
func (s *Sample) measureIdle(c config, t Target) {
	idle, err := holdIdle(t.URL, c.idle, family(t.PID), time.Second)
	s.note(err)
	s.Idle = idle
	time.Sleep(c.pause)
	log.Printf("round %d %-18s %d/%d idle connections: peak %.1f MB, idle %.1f MB",
		s.Round+1, t.Name, idle.OK, idle.Conns, float64(idle.PeakKB)/1024, float64(idle.RSSKB)/1024)
}

// closedLoop runs wrk and reads the target's CPU time and peak memory
// around it.
func (s *Sample) closedLoop(c config, t Target, pids []int) {
	s.PeakReset = resetPeak(pids)
	sut, lg := startBusy(c.sutCPU), startBusy(c.lgCPU)
	cpu0, t0 := cpuSeconds(pids), time.Now()
	w, err := runWrk(c, t.URL, c.duration)
	cpu1, wall := cpuSeconds(pids), time.Since(t0)
	s.TargetShare = (cpu1 - cpu0) / wall.Seconds()
	s.SUTBusy, s.LGBusy = sut.stop(), lg.stop()
	s.note(err)
	s.Wrk = w
	if w.Requests > 0 {
		s.CPUUsPerReq = (cpu1 - cpu0) * 1e6 / float64(w.Requests)
	}
	_, s.PeakRSSKB = memKB(pids)
}

func (s *Sample) note(err error) {
	if err != nil {
		log.Printf("%s round %d: %v", s.Target, s.Round+1, err)
		s.Errors = append(s.Errors, err.Error())
	}
}
