package operation

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// Queue is enable_queue's parameters, the plan's Level 1 call
// {"max_queue_size": 1000, "timeout_ms": 30000}. A nil field keeps the
// configured value.
type Queue struct {
	MaxQueueSize  *int
	Timeout       *time.Duration
	MaxConcurrent *int
}

// ParseQueue reads and range-checks enable_queue's parameters.
func ParseQueue(params map[string]any) (Queue, error) {
	r := read(params, "max_queue_size", "timeout_ms", "max_concurrent")
	p := Queue{MaxQueueSize: r.intIn("max_queue_size", 1, maxQueueSize)}
	if ms := r.intIn("timeout_ms", 1, maxTimeoutMS); ms != nil {
		d := time.Duration(*ms) * time.Millisecond
		p.Timeout = &d
	}
	p.MaxConcurrent = r.intIn("max_concurrent", 1, maxConcurrency)
	return p, r.err
}

// Settings lays p over def.
func (p Queue) Settings(def queue.Settings) queue.Settings {
	s := def
	set(&s.MaxQueueSize, p.MaxQueueSize)
	set(&s.Timeout, p.Timeout)
	set(&s.MaxConcurrent, p.MaxConcurrent)
	return s
}

// EnableQueue turns the queue on with p over the defaults and returns the
// settings applied.
func (o Ops) EnableQueue(p Queue) (queue.Settings, error) {
	s := p.Settings(o.Defaults.Queue)
	return s, o.Gateway.EnableQueue(s)
}
