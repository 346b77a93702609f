// Package contract runs recorded request/answer fixtures against a base
// URL: a simulator, the real service, or the gateway in one of its states.
// The fixtures are written from the real services' sources, so a run
// proves that whatever answers at the base URL speaks the real API.
//
// A fixture file is a JSON array of fixtures. A fixture is a named
// sequence of steps, run in order; it cites where its contract comes from:
//
//	{
//	  "name":   "find with a list of target URIs",
//	  "source": "openviking/server/routers/search.py: find, FindRequest",
//	  "states": ["sim", "primary", "fallback", "backup"],
//	  "steps": [{
//	    "request": {"method": "POST", "path": "/api/v1/search/find",
//	                "headers": {"X-OpenViking-User": "default"},
//	                "json": {"query": "canary", "target_uri": ["viking://resources"]}},
//	    "expect":    {"status": 200, "shape": {"status": "=ok", "result": {"total": "integer"}}},
//	    "expect_in": {"fallback": {"status": 503, "shape": {"status": "=error"}}},
//	    "capture":   {"uri": "result.resources.0.uri"}
//	  }]
//	}
//
// states names where the fixture applies; empty means every state. The
// names are the caller's; this project uses "sim" (straight to a
// simulator), "primary" (the gateway with the primary healthy),
// "fallback" (the gateway in fallback mode) and "backup" (the primary
// down in backup mode). expect_in replaces expect in the states it names.
//
// A request has a method, a path (with its query string), headers, and
// either "json" (sent as application/json), "body" (sent as it is) or
// "multipart": {"fields": {name: value}, "file": {"field", "name",
// "content"}}. "${name}" in the path, header values, the body and the
// multipart content is replaced by a captured value; "${run}" is unique to
// each Run, so fixtures that create things do not collide across runs.
//
// capture maps a name to a dotted path into the JSON answer (object keys
// and array indexes); the value, as text, is available to later steps.
//
// A shape says what the answer must hold, not exact values where they
// vary:
//
//   - "string", "number", "integer", "boolean", "array", "object", "null"
//     or "any" match a value of that JSON type; "string|null" matches
//     either; "=text" matches exactly the string text.
//   - a number, true or false matches exactly that value.
//   - an object requires each of its keys (a key ending in "?" is
//     optional) to match its shape; other keys in the answer are allowed.
//   - [] matches any array; [shape] requires every element to match
//     shape; ["+", shape] also requires at least one element.
//
// Run a directory of fixtures against any base URL:
//
//	fixtures, err := contract.Load("internal/sim/testdata/contract/openviking")
//	contract.Run(t, "http://127.0.0.1:8080", fixtures, contract.Options{State: "fallback"})
package contract
