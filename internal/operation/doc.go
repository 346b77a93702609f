// Package operation is the gateway's operations as one set of typed calls:
// enable the breaker or the queue, resize the cache, turn aggressive
// caching on, set the routing. Each operation has a parameter struct, one
// parser from the loose form both callers hold (the admin API's JSON body
// and a built-in action's params map) and one function that applies it to
// the gateway.
//
// The admin handlers and the escalation's built-in actions both call this
// package, so what one accepts the other accepts, with the same range
// checks and the same field named when a value is refused. Before, each
// parsed its own copy and the two drifted apart.
package operation
