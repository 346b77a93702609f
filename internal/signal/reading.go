package signal

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Units of the readings this package produces.
const (
	UnitMS      = "ms"      // milliseconds
	UnitRatio   = "ratio"   // a fraction such as 0.2 for 20 %, or a multiple such as 2.5x
	UnitPercent = "percent" // 0 to 100
	UnitCount   = "count"   // a plain count
	UnitFailed  = "failed"  // 1 when an integrity check fails, 0 when it passes
)

// Fixed errors of the package, wrapped with %w; test them with errors.Is.
var (
	// ErrConfig is wrapped by every constructor error: the source was
	// configured in a way that could never produce a reading.
	ErrConfig = errors.New("signal: invalid source configuration")
	// ErrUnreachable means the source of the value could not be reached or
	// answered with an error status.
	ErrUnreachable = errors.New("signal: source unreachable")
	// ErrNoData means the source answered but held no usable value (no
	// matching series, an empty result, NaN).
	ErrNoData = errors.New("signal: no data")
	// ErrMalformed means the answer could not be parsed.
	ErrMalformed = errors.New("signal: malformed answer")
	// ErrCheckFailed is wrapped by the Err of a failing integrity check.
	ErrCheckFailed = errors.New("signal: integrity check failed")
)

// DefaultTimeout bounds one network or process read when the caller set
// nothing shorter (an http.Client's Timeout, an explicit timeout argument,
// or a context deadline).
const DefaultTimeout = 5 * time.Second

// Reading is one observation of a signal.
type Reading struct {
	// Value is the observation, in Unit.
	Value float64
	// Valid is false when there is not enough data to judge (below the
	// minimum volume, no baseline yet, source unreachable). A trigger
	// ignores invalid readings: they neither fire nor clear it.
	Valid bool
	// Unit is one of the Unit constants.
	Unit string
	// Detail is human evidence, such as "60s window, 143 requests, avg
	// 812ms p95 1.9s p99 2.4s" or "PING -> -ERR ...". It never holds a
	// secret.
	Detail string
	// Onset is when the condition this reading shows began, when the
	// source can tell from its own record, such as the first failed check
	// of a streak. Zero: the source cannot tell, and the reading's time
	// stands for it.
	Onset time.Time
	// Err says why a read failed. It is set with Valid false, except for
	// integrity checks, where a failed check is the reading (Value 1,
	// Valid true) and Err explains the failure.
	Err error
}

// Source produces readings. Read must honour ctx and return within its own
// timeout; now is the evaluation time, used for windows and rates instead
// of the wall clock so that callers control time.
type Source interface {
	Read(ctx context.Context, now time.Time) Reading
}

// invalid is a reading that could not be taken.
func invalid(unit string, err error) Reading {
	return Reading{Unit: unit, Err: err, Detail: humanize(err)}
}

// sentinels are the package's error prefixes, which humanize drops: Err
// keeps them for errors.Is, while Detail is read by people.
var sentinels = strings.NewReplacer(
	ErrConfig.Error()+": ", "", ErrUnreachable.Error()+": ", "", ErrNoData.Error()+": ", "",
	ErrMalformed.Error()+": ", "", ErrCheckFailed.Error()+": ", "",
)

// humanize renders err for Detail without the package's prefixes.
func humanize(err error) string { return sentinels.Replace(err.Error()) }

// withTimeout bounds ctx by d, or by DefaultTimeout when d is not positive.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, timeoutOr(d))
}

// timeoutOr returns d, or DefaultTimeout when d is not positive.
func timeoutOr(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultTimeout
	}
	return d
}
