package admin

import (
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/report"
)

// analyze is the plan's analyze_performance_degradation:
// ?start=RFC3339&end=RFC3339 compares that window's latency, error rate,
// throughput and resource use with a baseline, by default the span of the
// same length just before it, or ?baseline_start=…&baseline_end=….
func (a *API) analyze(r *http.Request) (any, error) {
	if a.o.Incidents == nil {
		return nil, errIncidentsOff
	}
	q, err := query(r, "start", "end", "baseline_start", "baseline_end")
	if err != nil {
		return nil, err
	}
	start, end, err := span(q, "start", "end", true)
	if err != nil {
		return nil, err
	}
	bStart, bEnd, err := span(q, "baseline_start", "baseline_end", false)
	if err != nil {
		return nil, err
	}
	if bStart.IsZero() {
		bStart, bEnd = report.BaselineWindow(start, end)
	}
	ctx, cancel := a.incidentCtx(r, false)
	defer cancel()
	window, err := a.o.Incidents.History.Range(ctx, start, end)
	if err != nil {
		return nil, incidentErr(err, "")
	}
	baseline, err := a.o.Incidents.History.Range(ctx, bStart, bEnd)
	if err != nil {
		return nil, incidentErr(err, "")
	}
	return report.Analyze(window, baseline), nil
}

// span reads two RFC 3339 times naming a span of at most maxSpan. When
// the span is optional, both times are left out or both are given.
func span(q map[string]string, from, to string, required bool) (time.Time, time.Time, error) {
	if !required && q[from] == "" && q[to] == "" {
		return time.Time{}, time.Time{}, nil
	}
	start, err := timeParam(q, from)
	if err != nil {
		return start, start, err
	}
	end, err := timeParam(q, to)
	if err != nil {
		return start, end, err
	}
	switch {
	case !end.After(start):
		return start, end, bad(to, "must be after %s (%s), got %s", from, q[from], q[to])
	case end.Sub(start) > maxSpan:
		return start, end, bad(to, "must be at most %s after %s, got %s", maxSpan, from, end.Sub(start))
	}
	return start, end, nil
}

func timeParam(q map[string]string, field string) (time.Time, error) {
	v := q[field]
	if v == "" {
		return time.Time{}, bad(field, "is required: an RFC 3339 time such as 2026-02-03T14:00:00Z")
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, bad(field, "must be an RFC 3339 time such as 2026-02-03T14:00:00Z, got %q", v)
	}
	return t, nil
}
