package admin

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// KindAuthFailed is the event of a call refused for a missing or wrong
// token. It names the caller's address, never the token presented.
const KindAuthFailed = "admin.auth_failed"

// Failed authentications are counted per caller address (the connection's
// peer: a forwarded-for header is the caller's to forge). The first
// freeFailures failures are answered 401 at once. Each further one locks
// the address out for a period that doubles, from firstLockout up to
// maxLockout; while locked out every call from it is answered 429 with
// Retry-After, without comparing the token, so a guesser gets one try per
// period. A success forgets the address. Addresses unseen for forgetAfter
// are forgotten, and at most maxTracked are kept, so a scan from many
// addresses cannot grow memory without bound.
const (
	freeFailures = 5
	firstLockout = time.Second
	maxLockout   = 5 * time.Minute
	forgetAfter  = 15 * time.Minute
	maxTracked   = 10_000
)

// authLimiter tracks failures per address.
type authLimiter struct {
	now       func() time.Time
	failures  atomic.Int64 // wrong or missing tokens, for /metrics
	throttled atomic.Int64 // calls refused while their address was locked out

	mu sync.Mutex
	by map[string]*strikes
}

type strikes struct {
	n     int
	until time.Time // locked out until then
	last  time.Time
}

func newAuthLimiter(now func() time.Time) *authLimiter {
	return &authLimiter{now: now, by: make(map[string]*strikes)}
}

// lockedOut reports how long addr must still wait, zero when it may try.
func (l *authLimiter) lockedOut(addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.by[addr]
	if s == nil {
		return 0
	}
	return max(s.until.Sub(l.now()), 0)
}

// failed records one failure from addr and returns its count and the
// lockout it starts (zero within the free failures).
func (l *authLimiter) failed(addr string) (int, time.Duration) {
	l.failures.Add(1)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.by[addr]
	if s == nil {
		l.prune(now)
		s = &strikes{}
		l.by[addr] = s
	}
	s.n++
	s.last = now
	if s.n <= freeFailures {
		return s.n, 0
	}
	lock := firstLockout << min(s.n-freeFailures-1, 20)
	lock = min(lock, maxLockout)
	s.until = now.Add(lock)
	return s.n, lock
}

// succeeded forgets addr's failures.
func (l *authLimiter) succeeded(addr string) {
	l.mu.Lock()
	delete(l.by, addr)
	l.mu.Unlock()
}

// prune forgets idle addresses and, at the cap, the longest idle one. The
// caller holds l.mu.
func (l *authLimiter) prune(now time.Time) {
	var oldest string
	for a, s := range l.by {
		if now.Sub(s.last) > forgetAfter && now.After(s.until) {
			delete(l.by, a)
		} else if oldest == "" || s.last.Before(l.by[oldest].last) {
			oldest = a
		}
	}
	if len(l.by) >= maxTracked {
		delete(l.by, oldest)
	}
}

// callerAddr is the host of the connection's peer.
func callerAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// guard answers 401, or 429 while the caller is locked out, and reports
// false when the call may not proceed.
func (a *API) guard(w http.ResponseWriter, r *http.Request) bool {
	if a.o.Token == "" {
		return true
	}
	addr := callerAddr(r)
	if wait := a.auth.lockedOut(addr); wait > 0 {
		a.auth.throttled.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		writeErr(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "Authorization",
			"too many failed authentications from "+addr+"; retry after "+wait.Round(time.Second).String())
		return false
	}
	if a.authorized(r) {
		a.auth.succeeded(addr)
		return true
	}
	n, lock := a.auth.failed(addr)
	a.reportAuthFailure(r, addr, n, lock)
	w.Header().Set("WWW-Authenticate", `Bearer realm="lifeboat-admin"`)
	writeErr(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Authorization", "a valid bearer token is required")
	return false
}

// reportAuthFailure emits the failure with the caller's address and the
// call, never the token presented.
func (a *API) reportAuthFailure(r *http.Request, addr string, n int, lock time.Duration) {
	if a.o.Events == nil {
		return
	}
	msg := "admin call " + r.Method + " " + r.URL.Path + " from " + addr + " refused: missing or wrong token (" +
		strconv.Itoa(n) + " in a row)"
	if lock > 0 {
		msg += "; the address is locked out for " + lock.String()
	}
	a.o.Events.Emit(event.Event{Time: a.o.Now(), Kind: KindAuthFailed, Source: "admin", Severity: event.Warning,
		Message: msg, Fields: map[string]any{"remote_addr": addr, "method": r.Method, "path": r.URL.Path,
			"failures": n, "lockout": lock.String()}})
}

// AuthFailures is how many calls were refused for a missing or wrong
// token, and how many more were refused unchecked while their address was
// locked out.
func (a *API) AuthFailures() (failed, throttled int64) {
	return a.auth.failures.Load(), a.auth.throttled.Load()
}
