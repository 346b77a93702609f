// Package sim holds in-memory simulators of the two services Lifeboat sits
// between: OpenViking (the primary context database) and a LightRAG API server
// (the fallback, "SMP"). Each simulator answers the real service's HTTP shapes
// closely enough for Lifeboat's demos, drills and tests, and a Server runs one
// of them on a real listener with fault knobs (latency, errors, hangs, a closed
// listener, a silently corrupted search index, resource pressure).
//
// Control API, served by a Server on its main listener and, with
// StartControl, on a second listener that stays up while the main one is
// "down":
//
//	GET  /_sim/fault   the fault in force (a Fault as JSON; {} when none)
//	POST /_sim/fault   replace it; {} clears; 400 {"error","field"} when invalid
//	GET  /_sim/stats   a Stats snapshot
//
// The gateway never imports this package; the CLI and the tests do.
package sim
