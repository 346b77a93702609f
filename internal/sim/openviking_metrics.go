package sim

import (
	"fmt"
	"io"
	"net/http"
)

// Resource gauges report these when no fault sets them: a healthy,
// lightly loaded process.
const (
	baselineCPUPercent    = 12
	baselineMemoryPercent = 30
)

// Metric names of the simulated /metrics, for resource monitors.
const (
	MetricCPUPercent    = "openviking_cpu_usage_percent"
	MetricMemoryPercent = "openviking_memory_usage_percent"
	MetricRequests      = "openviking_http_requests_total"
)

// metrics writes the Prometheus text format by hand: resource gauges driven
// by the fault knobs, state gauges and per-route request counters.
func (o *OpenViking) metrics(w http.ResponseWriter, _ *http.Request) {
	f := o.cond.get()
	cpu, mem := f.CPUPercent, f.MemoryPercent
	if cpu == 0 {
		cpu = baselineCPUPercent
	}
	if mem == 0 {
		mem = baselineMemoryPercent
	}
	sessions, tasks := o.store.sizes()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	gauge(w, MetricCPUPercent, "Process CPU usage in percent.", cpu)
	gauge(w, MetricMemoryPercent, "Process memory usage in percent of the limit.", mem)
	gauge(w, "openviking_sessions_active", "Sessions held.", float64(sessions))
	gauge(w, "openviking_tasks_total", "Background tasks recorded.", float64(tasks))
	gauge(w, "openviking_documents", "Searchable documents.", float64(o.index.len()))
	fmt.Fprintf(w, "# HELP %s Requests served, by route.\n# TYPE %s counter\n", MetricRequests, MetricRequests)
	for _, rs := range o.rt.routes {
		fmt.Fprintf(w, "%s{route=%q} %d\n", MetricRequests, rs.pattern, rs.n.Load())
	}
}

func gauge(w io.Writer, name, help string, v float64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", name, help, name, name, v)
}
