package cache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxDelta caps delta-seconds values as RFC 9111 section 1.2.2 asks, so a
// huge max-age cannot overflow a time.Duration.
const maxDelta = (1<<31 - 1) * time.Second

// delta is an optional delta-seconds directive argument.
type delta struct {
	d  time.Duration
	ok bool
}

// directives holds the Cache-Control directives the cache acts on, for a
// request or a response. Unknown directives are ignored, as RFC 9111
// section 5.2.3 requires.
type directives struct {
	noStore, noCache, private, public  bool
	mustRevalidate, proxyRevalidate    bool
	maxAge, sMaxAge, minFresh          delta
	staleIfError, staleWhileRevalidate delta
}

// parseCacheControl reads every Cache-Control field line. It does not
// allocate, because it runs on every lookup.
func parseCacheControl(h http.Header) directives {
	var d directives
	for _, line := range h["Cache-Control"] {
		for line != "" {
			var name, arg string
			name, arg, line = nextDirective(line)
			d.set(name, arg)
		}
	}
	return d
}

// parseRequestCacheControl is parseCacheControl plus the HTTP/1.0
// "Pragma: no-cache", which RFC 9111 section 5.4 lets a cache honour when the
// request has no Cache-Control.
func parseRequestCacheControl(h http.Header) directives {
	d := parseCacheControl(h)
	if len(h["Cache-Control"]) == 0 {
		for _, p := range h["Pragma"] {
			if hasToken(p, "no-cache") {
				d.noCache = true
			}
		}
	}
	return d
}

// set records one directive. Qualified forms such as no-cache="Set-Cookie"
// and private="X" are treated as their unqualified forms, which is the
// conservative reading for a shared cache.
func (d *directives) set(name, arg string) {
	switch strings.ToLower(name) {
	case "no-store":
		d.noStore = true
	case "no-cache":
		d.noCache = true
	case "private":
		d.private = true
	case "public":
		d.public = true
	case "must-revalidate":
		d.mustRevalidate = true
	case "proxy-revalidate":
		d.proxyRevalidate = true
	default:
		d.setDelta(name, arg)
	}
}

// setDelta records the directives that carry delta-seconds. An invalid
// max-age or s-maxage counts as zero (stale), as RFC 9111 section 4.2.1
// asks; invalid stale windows are ignored, which only ever serves less.
func (d *directives) setDelta(name, arg string) {
	v, valid := parseDelta(arg)
	switch strings.ToLower(name) {
	case "max-age":
		d.maxAge = delta{v, true}
	case "s-maxage":
		d.sMaxAge = delta{v, true}
	case "min-fresh":
		d.minFresh = delta{v, valid}
	case "stale-if-error":
		d.staleIfError = delta{v, valid}
	case "stale-while-revalidate":
		d.staleWhileRevalidate = delta{v, valid}
	}
}

// nextDirective splits the first directive off a Cache-Control line,
// honouring quoted arguments that may contain commas.
func nextDirective(s string) (name, arg, rest string) {
	end, quoted := 0, false
	for ; end < len(s); end++ {
		c := s[end]
		if c == '"' {
			quoted = !quoted
		} else if c == ',' && !quoted {
			break
		}
	}
	tok := s[:end]
	if end < len(s) {
		rest = s[end+1:]
	}
	name, arg, _ = strings.Cut(tok, "=")
	return strings.TrimSpace(name), strings.Trim(strings.TrimSpace(arg), `"`), rest
}

// parseDelta parses delta-seconds, capping large values at maxDelta.
func parseDelta(s string) (time.Duration, bool) {
	if s == "" || s[0] == '-' || s[0] == '+' {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return maxDelta, true
		}
		return 0, false
	}
	if n > uint64(maxDelta/time.Second) {
		return maxDelta, true
	}
	return time.Duration(n) * time.Second, true
}

// hasToken reports whether a comma-separated field value lists tok.
func hasToken(v, tok string) bool {
	for v != "" {
		var t string
		t, v, _ = strings.Cut(v, ",")
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true
		}
	}
	return false
}

// forbidsStale reports whether a response may never be served stale: RFC
// 9111 sections 5.2.2.2, 5.2.2.4, 5.2.2.8 and 5.2.2.10 (s-maxage implies
// proxy-revalidate for a shared cache).
func (d directives) forbidsStale() bool {
	return d.mustRevalidate || d.proxyRevalidate || d.noCache || d.sMaxAge.ok
}
