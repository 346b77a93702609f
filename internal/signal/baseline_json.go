package signal

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// baselineVersion tags the persisted format so a later change can be told
// apart from corruption.
const baselineVersion = 1

// baselineDoc is the persisted form of a Baseline: learned routes by name,
// latencies in fractional milliseconds so the file is readable.
type baselineDoc struct {
	Version int                     `json:"version"`
	Routes  map[string]baselineJSON `json:"routes"`
}

type baselineJSON struct {
	LatencyMS float64   `json:"latency_ms"`
	Samples   int       `json:"samples"`
	Updated   time.Time `json:"updated"`
}

// MarshalJSON writes the learned state of every route.
func (b *Baseline) MarshalJSON() ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	doc := baselineDoc{Version: baselineVersion, Routes: make(map[string]baselineJSON, len(b.learnt))}
	for name, rb := range b.learnt {
		doc.Routes[name] = baselineJSON{LatencyMS: ms(rb.latency), Samples: rb.samples, Updated: rb.updated}
	}
	return json.Marshal(doc)
}

// UnmarshalJSON replaces the learned state with data written by
// MarshalJSON. Routes this Baseline does not watch are dropped, so a
// configuration change cannot resurrect stale entries. On error the
// learned state is left unchanged. The Baseline must come from
// NewBaseline: a zero Baseline knows no routes and keeps nothing.
func (b *Baseline) UnmarshalJSON(data []byte) error {
	var doc baselineDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%w: baseline: %w", ErrMalformed, err)
	}
	if doc.Version != baselineVersion {
		return fmt.Errorf("%w: baseline version %d, want %d", ErrMalformed, doc.Version, baselineVersion)
	}
	learnt := make(map[string]*routeBaseline)
	for _, r := range b.routes {
		name := b.names[r]
		rj, ok := doc.Routes[name]
		if !ok {
			continue
		}
		if rj.LatencyMS < 0 || math.IsInf(rj.LatencyMS, 0) || math.IsNaN(rj.LatencyMS) || rj.Samples < 0 {
			return fmt.Errorf("%w: baseline route %q out of range", ErrMalformed, name)
		}
		learnt[name] = &routeBaseline{latency: time.Duration(rj.LatencyMS * float64(time.Millisecond)),
			samples: rj.Samples, updated: rj.Updated}
	}
	b.mu.Lock()
	b.learnt = learnt
	b.mu.Unlock()
	return nil
}
