package cluster

import (
	"errors"
	"fmt"
)

var (
	// ErrSettings is wrapped by every error from Settings.Validate.
	ErrSettings = errors.New("cluster: invalid settings")
	// ErrNotDecider is returned by a decider-only write on a replica that
	// does not hold the election, or whose lease may have expired.
	ErrNotDecider = errors.New("cluster: not the decider")
	// ErrFenced is returned when etcd refused a write because the writer's
	// election key is gone: another replica may decide now. It wraps
	// ErrNotDecider.
	ErrFenced = fmt.Errorf("%w: fenced by etcd", ErrNotDecider)
	// ErrUnavailable wraps failures to reach etcd in time. Callers answer a
	// journaled write with a retryable 503 when Append returns it.
	ErrUnavailable = errors.New("cluster: etcd unavailable")
	// ErrTooLarge is returned by Append for a payload above MaxEntryBytes.
	ErrTooLarge = errors.New("cluster: journal entry too large")
	// ErrInvalid is returned for an empty or oversized key part, such as a
	// session, incident or step name.
	ErrInvalid = errors.New("cluster: invalid name")
	// ErrStepRecorded is returned by Intent or Outcome when that record
	// already exists: the step was started, or finished, by some decider.
	ErrStepRecorded = errors.New("cluster: step already recorded")
	// ErrNoIntent is returned by Outcome for a step whose intent was never
	// recorded.
	ErrNoIntent = errors.New("cluster: outcome without intent")
	// ErrNoDecider is returned by DeciderAdmin when no replica holds the
	// election, or the one that does has not advertised its admin API.
	ErrNoDecider = errors.New("cluster: no decider known")
	// ErrClosed is returned by methods of a closed Member.
	ErrClosed = errors.New("cluster: member closed")
)
