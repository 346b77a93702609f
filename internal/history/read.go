package history

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// read returns the stored samples whose interval overlaps [start, end),
// in time order.
func (st store) read(ctx context.Context, start, end time.Time) ([]Sample, error) {
	lo, hi, stop := start.UnixMilli(), end.UnixMilli(), end.Add(maxInterval).UnixMilli()
	samples, index, err := st.readSamples(ctx, lo, hi, stop)
	if err != nil || len(samples) == 0 {
		return samples, err
	}
	if err := st.readTargets(ctx, lo, stop, samples, index); err != nil {
		return nil, err
	}
	return samples, nil
}

func (st store) readSamples(ctx context.Context, lo, hi, stop int64) ([]Sample, map[int64]int, error) {
	rows, err := st.db.QueryContext(ctx, selectSamples, lo, hi, stop)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: read: %w", ErrStore, err)
	}
	defer rows.Close()
	var samples []Sample
	index := map[int64]int{}
	for rows.Next() {
		var at, iv int64
		var cpu, mem sql.NullFloat64
		if err := rows.Scan(&at, &iv, &cpu, &mem); err != nil {
			return nil, nil, fmt.Errorf("%w: read: %w", ErrStore, err)
		}
		index[at] = len(samples)
		samples = append(samples, Sample{
			Time: time.UnixMilli(at).UTC(), Interval: time.Duration(iv) * time.Millisecond,
			CPU: pointer(cpu), Memory: pointer(mem),
		})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("%w: read: %w", ErrStore, err)
	}
	return samples, index, nil
}

// readTargets attaches target rows to the samples they belong to; rows of
// samples outside the range are skipped.
func (st store) readTargets(ctx context.Context, lo, stop int64, samples []Sample, index map[int64]int) error {
	rows, err := st.db.QueryContext(ctx, selectTargets, lo, stop)
	if err != nil {
		return fmt.Errorf("%w: read: %w", ErrStore, err)
	}
	defer rows.Close()
	for rows.Next() {
		var at, avg, p95, p99 int64
		var f Figures
		if err := rows.Scan(&at, &f.Target, &f.Requests, &f.Failures, &f.Judged, &avg, &p95, &p99); err != nil {
			return fmt.Errorf("%w: read: %w", ErrStore, err)
		}
		i, ok := index[at]
		if !ok {
			continue
		}
		f.AvgLatency, f.P95, f.P99 = time.Duration(avg), time.Duration(p95), time.Duration(p99)
		f.ErrorRate = errorRate(f.Failures, f.Judged)
		samples[i].Targets = append(samples[i].Targets, f)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: read: %w", ErrStore, err)
	}
	return nil
}

func pointer(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}
