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
// LightRAG's fault also takes rag_failure: queries and inserts answer
// status "failure" with HTTP 200, as the real server can.
//
// Where the simulators differ from the real services on purpose:
//
//   - OpenViking's envelope carries "time" and leaves out null fields
//     (the real one may send "error": null, "telemetry": null).
//   - Search is a keyword index, not vectors: scores are keyword overlap,
//     filter, since/until, image_url and include_provenance are accepted
//     and not applied, a session_id does not expand the query and no
//     query_plan is reported; mode="context" answers 501 UNIMPLEMENTED.
//     limit below 1 is refused with 400 (the real server does not check).
//   - content/abstract and overview of a document answer its own abstract
//     (the real server answers the parent directory's); a directory's are
//     generated from the documents below it.
//   - Resources are imported at once, so wait changes nothing and no
//     task_id is returned; remote sources are never fetched (their text
//     is the address and the reason) and no public-host check is made;
//     uploads are kept in memory, 8 MiB each, the 4,096 newest (256 MiB in all).
//   - Sessions keep message parts as sent; the real server normalizes
//     them (a tool part's defaults filled in, some omitted). A commit
//     archives and extracts at once, so its task is already completed;
//     Turn retention is validated and recorded, and messages are kept by
//     count alone. pending_tokens counts a tool part's input as Go's JSON
//     encoding writes it (Python's adds spaces). list_sessions answers
//     is_dir true and the last change as mod_time.
//   - LightRAG follows upstream HKUDS/LightRAG (query weight with CJK
//     characters counting twice, top_k and chunk_top_k up to 1000); the
//     SMP fork counts raw characters and has no upper bound. The model
//     stands in for the LLM, indexing takes IndexDelay (50 ms), and
//     /health's pipeline_busy is always false.
//
// The gateway never imports this package; the CLI and the tests do.
package sim
