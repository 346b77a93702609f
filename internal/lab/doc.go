// Package lab runs both simulators and a gateway with escalation
// in-process, on free loopback ports and a compressed timeline: what
// `lifeboat demo`, `lifeboat drill` without a target and the tests drill.
//
// It is the one place that starts the gateway's code for a drill. The
// drill package itself reaches a gateway only through its admin API and a
// Faults implementation, so it drills a lab and a gateway in another
// process alike; a Lab hands it Options pointing at the lab.
package lab
