// Package health runs active health checks against one upstream.
//
// A Checker probes the upstream on a schedule through a Prober and turns the
// stream of pass/fail results into a State with hysteresis: Rise consecutive
// passes bring a Down upstream Up, Fall consecutive failures take it Down.
// While the state is changing the checker probes at a faster interval, like
// HAProxy's fastinter, so that a real outage is confirmed quickly without
// letting a single blip flip the state.
//
// The package never logs. Every probe result and every state change is
// reported through the optional Hooks, and the latest picture is available
// from Status. State is a lock-free read meant to be called per request.
package health
