package signal

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/health"
)

// HealthStatuser is what HealthFailures reads; *health.Checker implements it.
type HealthStatuser interface {
	Status() health.Status
}

// HealthFailuresSource counts the consecutive failed active checks of one
// upstream. See HealthFailures.
type HealthFailuresSource struct {
	h HealthStatuser
}

// HealthFailures reports the current streak of failed health checks (unit
// count), with the start of its first check as the reading's Onset. The reading is always valid: a checker that has not probed yet
// has a streak of zero. The plan's "more than 3 consecutive failed checks"
// is a trigger with Op ">" and Threshold 3.
func HealthFailures(h HealthStatuser) *HealthFailuresSource {
	return &HealthFailuresSource{h: h}
}

// Read implements Source.
func (s *HealthFailuresSource) Read(_ context.Context, _ time.Time) Reading {
	st := s.h.Status()
	n := st.ConsecutiveFailures
	detail := fmt.Sprintf("%s %s, %d consecutive failed checks", st.Name, st.State, n)
	if st.Last.Reason != "" {
		detail += ", last: " + st.Last.Reason
	}
	return Reading{Value: float64(n), Valid: true, Unit: UnitCount, Detail: detail, Onset: st.FailingSince}
}
