package app_test

import (
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// With the CPU and memory triggers scraping the primary, the metric
// history records both, so `lifeboat analyze` can compare them instead
// of showing "no data".
func TestHistoryRecordsThePrimarysResources(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "cpu"), planTrigger(t, "memory")}, func(c *config.Config) {
		c.Incidents.HistoryInterval = 20 * time.Millisecond
	})
	r.fault(r.ov, sim.Fault{CPUPercent: 42, MemoryPercent: 61})
	_, h := r.a.Incidents()
	from := time.Now()
	eventually(t, "a sample with the primary's CPU and memory", func() bool {
		r.stepNow()
		samples, err := h.Range(t.Context(), from, time.Now().Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range samples {
			if s.CPU != nil && *s.CPU == 42 && s.Memory != nil && *s.Memory == 61 {
				return true
			}
		}
		return false
	})
}
