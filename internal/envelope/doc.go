// Package envelope holds OpenViking's response envelope, which every answer
// Lifeboat makes itself uses, since clients speak OpenViking's API.
//
// A success is {"status":"ok","result":…,"time":…} and an error is
// {"status":"error","error":{"code":…,"message":…},"time":…}, where time
// is the seconds the request took. The error code and the HTTP status go
// together by a fixed table (Status, Code). The journal, the translator and
// the gateway's own errors all answer through this package, so a client
// sees one shape whichever part of Lifeboat answered; the simulators in
// internal/sim keep their own copy on purpose, since they stand for the
// external services.
//
// Encoding appends to a caller's buffer and escapes strings exactly as
// encoding/json does, so bodies are byte for byte what json.Marshal of the
// envelope would give.
package envelope
