package cache

import "net/http"

// heuristicallyCacheable is the status set RFC 9110 section 15.1 lets a
// cache store for GET and HEAD without explicit freshness.
var heuristicallyCacheable = map[int]bool{
	200: true, 203: true, 204: true, 300: true, 301: true,
	404: true, 405: true, 410: true, 414: true, 501: true,
}

// verdict is the outcome of the storability rules.
type verdict int

const (
	refuse     verdict = iota // must not be stored
	store                     // storable under RFC 9111
	storeForce                // storable only because aggressive mode is on
)

// storability applies RFC 9111 section 3 for a shared cache, plus the
// opted-in POST routes and aggressive mode. reqCC and respCC are the parsed
// request and response Cache-Control.
//
// On opted-in POST query routes a request carrying Authorization is stored
// even without public, s-maxage or must-revalidate: every key carries the
// tenant's credential hash, so the answer is only ever replayed to the same
// credentials, which is exactly what caching those routes is for. Aggressive
// mode relaxes the Authorization rule for 2xx answers on the same grounds.
func storability(r Request, status int, h http.Header, reqCC, respCC directives, aggressive bool) verdict {
	if r.HTTP == nil || !cacheableMethod(r) || neverStore(h, reqCC, respCC) {
		return refuse
	}
	post := r.HTTP.Method == http.MethodPost
	if !statusStorable(post, status) {
		return refuse
	}
	if !post && !aggressive && r.DefaultTTL <= 0 && !r.OutageCopy && !describesItself(h, respCC) {
		return refuse
	}
	if r.OutageCopy && (status < 200 || status > 299) && !describesItself(h, respCC) {
		// An outage copy is what the primary last served; an error is
		// not worth serving when neither side can answer (a stored 405
		// answered a session list for a whole outage).
		return refuse
	}
	if post || len(r.HTTP.Header["Authorization"]) == 0 || authorizedShare(respCC) {
		return store
	}
	if aggressive && status >= 200 && status < 300 {
		return storeForce
	}
	return refuse
}

// statusStorable: opted-in POST routes keep only 200, the one answer a
// query route gives that is worth replaying; GET and HEAD keep the
// heuristically cacheable set.
func statusStorable(post bool, status int) bool {
	if post {
		return status == http.StatusOK
	}
	return heuristicallyCacheable[status]
}

// neverStore holds the rules no mode overrides: no-store on either side,
// private, Set-Cookie (it would hand one user's cookie to the next) and
// Vary: * (no later request can ever match).
func neverStore(h http.Header, reqCC, respCC directives) bool {
	return reqCC.noStore || respCC.noStore || respCC.private ||
		len(h["Set-Cookie"]) > 0 || varyStar(h)
}

// describesItself reports whether a GET answer says how fresh it is or
// how to revalidate it. One that says neither is not stored: it could
// only ever be served stale on error, and storing every such answer would
// put a cache write on every plain GET through the gateway. Routes that
// want that set a cache TTL.
func describesItself(h http.Header, cc directives) bool {
	return cc.maxAge.ok || cc.sMaxAge.ok || len(h["Expires"]) > 0 ||
		len(h["Etag"]) > 0 || len(h["Last-Modified"]) > 0
}

// authorizedShare is RFC 9111 section 3.5: which directives let a shared
// cache store the answer to a request with Authorization.
func authorizedShare(cc directives) bool {
	return cc.public || cc.sMaxAge.ok || cc.mustRevalidate
}

func varyStar(h http.Header) bool {
	for _, v := range h["Vary"] {
		if hasToken(v, "*") {
			return true
		}
	}
	return false
}

// hopByHop lists fields that describe one connection and are never stored
// (RFC 9111 section 3.1), plus the fields the cache writes itself.
var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Proxy-Authenticate": true, "Proxy-Authentication-Info": true,
	"Age": true, "X-Cache": true,
}

// storedHeader copies h without hop-by-hop fields and without the fields
// its Connection header names.
func storedHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if !hopByHop[k] && !connectionListed(h, k) {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

func connectionListed(h http.Header, name string) bool {
	for _, v := range h["Connection"] {
		if hasToken(v, name) {
			return true
		}
	}
	return false
}
