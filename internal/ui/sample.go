package ui

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

var _ event.Sink = (*Page)(nil)

// Engine is the escalation engine as the page's history reads it.
type Engine interface {
	Status(now time.Time) level.Status
}

// Sampler reads one point of the page's history from the gateway's
// traffic, routing and escalation engine; its Sample is Options.Sample.
type Sampler struct {
	// Stats are the gateway's traffic windows. Required.
	Stats *stats.Recorder
	// Keys are the key route classes, whose traffic the charts show.
	// Default nil: every class.
	Keys []int
	// Share is the part of new requests sent to the primary first, 0 to
	// 1. Required.
	Share func() float64
	// Engine gives the level and the triggers' readings. Nil means
	// escalation is disabled: the points carry level 0 and no triggers.
	Engine Engine
}

// Sample is one point of the page's history at now.
func (s Sampler) Sample(now time.Time) Point {
	client, _ := s.Stats.UpstreamIndex("client") // what clients saw, whoever answered
	sum := s.Stats.Upstream(client, s.Keys, now)
	p := Point{T: now.UnixMilli(), Share: s.Share(), ErrorRate: sum.ErrorRate,
		P50MS: float64(sum.P50.Microseconds()) / 1000, P99MS: float64(sum.P99.Microseconds()) / 1000}
	if w := sum.Window.Seconds(); w > 0 {
		p.RPS = float64(sum.Requests) / w
	}
	if s.Engine == nil {
		return p
	}
	st := s.Engine.Status(now)
	p.Level = int(st.Level)
	p.Triggers = make(map[string]float64, len(st.Triggers))
	for _, ev := range st.Triggers {
		if ev.Valid {
			p.Triggers[ev.Trigger] = ev.Value
		}
	}
	return p
}

// Emit puts the decisions the charts show as lines on the page, and wakes
// its streams for every other event, so a change shows at once. A nil
// Page (not built yet) ignores the event.
func (p *Page) Emit(e event.Event) {
	if p == nil {
		return
	}
	switch e.Typed().(type) {
	case fact.LevelChanged:
		p.Mark(e.Time, "level", e.Message)
	case fact.RollbackResult:
		p.Mark(e.Time, "rollback", e.Message)
	case fact.RestoreStep, fact.RestoreCompleted, fact.RestoreFailed:
		p.Mark(e.Time, "restore", e.Message)
	default:
		p.Changed()
	}
}
