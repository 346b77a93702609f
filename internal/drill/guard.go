package drill

import (
	"fmt"
	"time"
)

// guardState is the steady-state guard's memory across polls: since when
// the fallback has looked hurt. It is owned by the drill's goroutine.
type guardState struct {
	g        Guard
	badSince time.Time
}

// check judges one reading of the gateway at now. It returns a reason to
// abort once the fallback has looked hurt for the guard's For: its active
// checks say down, or it fails more than the allowed share of the traffic
// sent to it. Answers in the 4xx range are not harm: a fallback that does
// not speak the primary's API answers 404, which the clients' downtime
// counts and the guard does not.
func (s *guardState) check(st gatewayStatus, now time.Time) string {
	why := s.hurt(st)
	switch {
	case s.g.Off || why == "":
		s.badSince = time.Time{}
		return ""
	case s.badSince.IsZero():
		s.badSince = now
	}
	if now.Sub(s.badSince) < s.g.For {
		return ""
	}
	return fmt.Sprintf("%s for %s", why, now.Sub(s.badSince).Round(time.Millisecond))
}

// hurt says how the fallback is hurt in this reading, "" when it is not.
func (s *guardState) hurt(st gatewayStatus) string {
	fb := st.Upstreams["fallback"]
	if fb.State == "down" {
		return "the fallback's health checks say down"
	}
	if t := fb.Traffic; t != nil && st.trafficOnFallback() && t.Enough && t.ErrorRate > s.g.MaxFallbackErrorRate {
		return fmt.Sprintf("the fallback fails %.0f%% of its requests (limit %.0f%%)", 100*t.ErrorRate, 100*s.g.MaxFallbackErrorRate)
	}
	return ""
}
