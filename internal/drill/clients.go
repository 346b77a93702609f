package drill

import (
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/load"
)

// clientView narrates what the load's clients see: when requests start
// failing and when they all succeed again. The load calls observe from
// one goroutine about every second.
type clientView struct {
	note    func(Note)
	prev    load.Snapshot
	failing bool
}

func (c *clientView) observe(s load.Snapshot) {
	reqs, failed := s.Requests-c.prev.Requests, s.Failed-c.prev.Failed
	c.prev = s
	switch {
	case failed > 0 && !c.failing:
		c.failing = true
		c.say("warning", fmt.Sprintf("requests failing: %d of %d in the last second", failed, reqs))
	case failed == 0 && reqs > 0 && c.failing:
		c.failing = false
		c.say("info", fmt.Sprintf("every request succeeding again (%d in the last second)", reqs))
	}
}

func (c *clientView) say(sev, text string) {
	if c.note != nil {
		c.note(Note{Tag: "clients", Text: text, Severity: sev})
	}
}
