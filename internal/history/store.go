package history

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The schema keeps one row per interval and one per busy target in it.
// Times are Unix milliseconds and latencies nanoseconds, both integers, so
// nothing is lost to floating point. WITHOUT ROWID stores the target rows
// in primary-key order, which is the order range queries read them in.
const schema = `
CREATE TABLE IF NOT EXISTS history_samples (
	at_ms       INTEGER PRIMARY KEY,
	interval_ms INTEGER NOT NULL,
	cpu         REAL,
	memory      REAL
);
CREATE TABLE IF NOT EXISTS history_targets (
	at_ms    INTEGER NOT NULL,
	target   TEXT    NOT NULL,
	requests INTEGER NOT NULL,
	failures INTEGER NOT NULL,
	judged   INTEGER NOT NULL,
	avg_ns   INTEGER NOT NULL,
	p95_ns   INTEGER NOT NULL,
	p99_ns   INTEGER NOT NULL,
	PRIMARY KEY (at_ms, target)
) WITHOUT ROWID;
`

const (
	insertSample = `INSERT OR REPLACE INTO history_samples (at_ms, interval_ms, cpu, memory) VALUES (?, ?, ?, ?)`
	insertTarget = `INSERT OR REPLACE INTO history_targets
		(at_ms, target, requests, failures, judged, avg_ns, p95_ns, p99_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	// The upper bound on at_ms lets SQLite stop scanning: no interval is
	// longer than maxInterval.
	selectSamples = `SELECT at_ms, interval_ms, cpu, memory FROM history_samples
		WHERE at_ms > ? AND at_ms - interval_ms < ? AND at_ms < ? ORDER BY at_ms`
	selectTargets = `SELECT at_ms, target, requests, failures, judged, avg_ns, p95_ns, p99_ns
		FROM history_targets WHERE at_ms > ? AND at_ms < ? ORDER BY at_ms, target`
	deleteSamples = `DELETE FROM history_samples WHERE at_ms < ?`
	deleteTargets = `DELETE FROM history_targets WHERE at_ms < ?`
)

// store is the SQL side of the history.
type store struct{ db *sql.DB }

func (st store) create(ctx context.Context) error {
	if _, err := st.db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("%w: create tables: %w", ErrStore, err)
	}
	return nil
}

// write stores samples in one transaction.
func (st store) write(ctx context.Context, samples []Sample) (err error) {
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%w: begin: %w", ErrStore, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // the write error is the one worth reporting
		}
	}()
	for _, s := range samples {
		if err = writeOne(ctx, tx, s); err != nil {
			return fmt.Errorf("%w: write: %w", ErrStore, err)
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("%w: commit: %w", ErrStore, err)
	}
	return nil
}

func writeOne(ctx context.Context, tx *sql.Tx, s Sample) error {
	at := s.Time.UnixMilli()
	if _, err := tx.ExecContext(ctx, insertSample, at, s.Interval.Milliseconds(), nullable(s.CPU), nullable(s.Memory)); err != nil {
		return err
	}
	for _, f := range s.Targets {
		_, err := tx.ExecContext(ctx, insertTarget, at, f.Target, f.Requests, f.Failures, f.Judged,
			int64(f.AvgLatency), int64(f.P95), int64(f.P99))
		if err != nil {
			return err
		}
	}
	return nil
}

func nullable(v *float64) sql.NullFloat64 {
	if v == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *v, Valid: true}
}

// prune deletes samples that ended before cutoff.
func (st store) prune(ctx context.Context, cutoff time.Time) error {
	for _, q := range []string{deleteSamples, deleteTargets} {
		if _, err := st.db.ExecContext(ctx, q, cutoff.UnixMilli()); err != nil {
			return fmt.Errorf("%w: prune: %w", ErrStore, err)
		}
	}
	return nil
}
