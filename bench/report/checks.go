package main

import (
	"fmt"
	"math"
)

// Check is one of issue 7's targets and how this run did against it.
type Check struct {
	Name   string
	Pass   bool
	Known  bool // false when a figure it needs was not measured
	Detail string
}

func (c Check) verdict() string {
	switch {
	case !c.Known:
		return "N/A"
	case c.Pass:
		return "PASS"
	}
	return "FAIL"
}

// noiseFloorMS is the smallest added latency a reference is credited
// with: below it the difference of two medians is timer noise, and a
// reference of zero or less would make "at most 2x" meaningless.
const noiseFloorMS = 0.02

// idleLimitMB is the RSS ceiling at many open connections.
const idleLimitMB = 64

func evaluate(t *Table) []Check {
	lb, ng, dir, ch := t.row(lbMain), t.row(nginx), t.row(direct), t.row(lbCache)
	var out []Check
	if lb != nil {
		out = append(out,
			ratioCheck("throughput >= 1.5x bare ReverseProxy", lb.VsBare, lb.CapVsBare, 1.5),
			ratioCheck("throughput >= 0.8x nginx", lb.VsNginx, lb.CapVsNginx, 0.8))
	}
	if lb != nil && ng != nil {
		out = append(out, p99Check(lb, ng))
	}
	if ch != nil && dir != nil {
		out = append(out, cacheCheck(ch))
	}
	for _, name := range []string{lbMain, lbCache, lbBackup} {
		if r := t.row(name); r != nil {
			out = append(out, idleCheck(r))
		}
	}
	return out
}

// ratioCheck needs both throughput ratios to meet the bar: the wrk one,
// and the per-core one from CPU time. On a small machine wrk can run out
// of CPU before a fast proxy does, which flatters whoever is compared with
// it; the per-core ratio does not depend on who set the pace.
func ratioCheck(name string, wrk, perCore Stat, want float64) Check {
	return Check{Name: "lifeboat-primary " + name, Known: wrk.N > 0 && perCore.N > 0,
		Pass: wrk.Median >= want && perCore.Median >= want,
		Detail: fmt.Sprintf("wrk %.2fx (range %.2f-%.2f), per core %.2fx (range %.2f-%.2f), want >= %.1fx on both",
			wrk.Median, wrk.Min, wrk.Max, perCore.Median, perCore.Min, perCore.Max, want)}
}

func p99Check(lb, ng *Row) Check {
	l, n := lb.AddP99[1000], ng.AddP99[1000]
	ref := math.Max(n.Median, noiseFloorMS)
	return Check{Name: "lifeboat-primary added p99 @1k req/s <= 2x nginx's", Known: l.N > 0 && n.N > 0,
		Pass:   l.Median <= 2*ref,
		Detail: fmt.Sprintf("%.3f ms vs nginx %.3f ms (limit %.3f ms)", l.Median, n.Median, 2*ref)}
}

// cacheCheck wants a cache hit to beat the backend itself on both counts:
// more requests per second closed-loop, and a lower median latency at 1k
// req/s open-loop.
func cacheCheck(ch *Row) Check {
	v, a := ch.VsDirect, ch.AddP50[1000]
	return Check{Name: "lifeboat cache hit faster than direct backend", Known: v.N > 0 && a.N > 0,
		Pass:   v.Median > 1 && a.Median < 0,
		Detail: fmt.Sprintf("throughput %.2fx direct, p50 @1k %+.3f ms vs direct", v.Median, a.Median)}
}

func idleCheck(r *Row) Check {
	return Check{Name: r.Name + " RSS < 64 MB at 1,000 connections", Known: r.IdlePeakMB.N > 0,
		Pass: r.IdlePeakMB.Max < idleLimitMB && r.IdleOK.Min == r.IdleOK.Max && r.IdleOK.Min > 0,
		Detail: fmt.Sprintf("peak %.1f MB worst round (idle %.1f MB), %.0f connections served",
			r.IdlePeakMB.Max, r.IdleRSSMB.Median, r.IdleOK.Min)}
}
