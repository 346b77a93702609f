// Package fault injects faults into the gateway's own traffic toward the
// primary, so drills can rehearse an outage without touching the real
// service: latency with jitter, an error rate with a status code, an outage
// (connections refused), a hang (no answer until the caller gives up) and
// silent data corruption (searches find nothing while /health stays green).
//
// An Injector is an http.RoundTripper placed between the gateway and its
// real transport. It faults only requests whose URL host is the primary's;
// the fallback is never touched. Every fault has a bounded duration and is
// reverted by a timer the Injector owns, so an interrupted drill leaves no
// fault behind.
//
// Resource pressure (a primary short of CPU or memory) cannot be faked
// from inside the gateway, because Lifeboat reads it from the primary's own
// metrics: drills use the simulator's cpu_percent and memory_percent knobs
// (POST /_sim/fault) for it.
package fault
