package main

// These types mirror bench/measure's JSON output; only what the report
// reads is declared.

// Results is one benchmark run.
type Results struct {
	Machine Machine  `json:"machine"`
	Targets []string `json:"targets"`
	Samples []Sample `json:"samples"`
}

// Machine describes where and how the run happened.
type Machine struct {
	Date      string            `json:"date"`
	CPUs      int               `json:"cpus"`
	CPUModel  string            `json:"cpu_model"`
	Kernel    string            `json:"kernel"`
	GoVersion string            `json:"go_version"`
	Tools     map[string]string `json:"tools"`
	Rounds    int               `json:"rounds"`
	Duration  string            `json:"wrk_duration"`
	VDuration string            `json:"vegeta_duration"`
	Conns     int               `json:"wrk_connections"`
	Threads   int               `json:"wrk_threads"`
	Rates     []int             `json:"rates"`
	IdleConns int               `json:"idle_connections"`
	LGCPU     int               `json:"lg_cpu"`
	SUTCPU    int               `json:"sut_cpu"`
}

// Sample is one target in one round.
type Sample struct {
	Round       int       `json:"round"`
	Target      string    `json:"target"`
	Wrk         Wrk       `json:"wrk"`
	CPUUsPerReq float64   `json:"cpu_us_per_req"`
	PeakRSSKB   int64     `json:"peak_rss_kb"`
	SUTBusy     float64   `json:"sut_cpu_busy"`
	LGBusy      float64   `json:"lg_cpu_busy"`
	TargetShare float64   `json:"target_cpu_share"`
	Background  float64   `json:"background_busy"`
	Latencies   []Latency `json:"latencies"`
	Idle        Idle      `json:"idle"`
	Errors      []string  `json:"errors"`
}

// Wrk is a closed-loop run.
type Wrk struct {
	Requests int64   `json:"requests"`
	RPS      float64 `json:"rps"`
	Errors   int64   `json:"errors"`
}

// Latency is an open-loop run at one rate, in milliseconds.
type Latency struct {
	Rate     int     `json:"rate"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	Success  float64 `json:"success"`
	Achieved float64 `json:"achieved_rate"`
}

// Idle is the memory held with many idle connections.
type Idle struct {
	Conns  int   `json:"conns"`
	OK     int   `json:"ok"`
	RSSKB  int64 `json:"rss_kb"`
	PeakKB int64 `json:"peak_kb"`
}

func (s Sample) latency(rate int) (Latency, bool) {
	for _, l := range s.Latencies {
		if l.Rate == rate {
			return l, true
		}
	}
	return Latency{}, false
}
