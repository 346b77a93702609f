package cache

import (
	"net/http"
	"time"
)

// Heuristic freshness (RFC 9111 section 4.2.2): a fraction of the time since
// Last-Modified, capped, as common caches do.
const (
	heuristicFraction = 10 // percent
	heuristicMax      = 24 * time.Hour
)

// lifetime returns the freshness lifetime of a response received at recv,
// from the first source present: s-maxage, max-age, Expires minus Date,
// the Last-Modified heuristic, then the route's default TTL.
func lifetime(h http.Header, cc directives, recv time.Time, defaultTTL time.Duration) time.Duration {
	switch {
	case cc.sMaxAge.ok:
		return cc.sMaxAge.d
	case cc.maxAge.ok:
		return cc.maxAge.d
	case len(h["Expires"]) > 0:
		return expiresLifetime(h, recv)
	}
	if d, ok := heuristic(h, recv); ok {
		return d
	}
	return max(defaultTTL, 0)
}

// expiresLifetime is Expires minus Date. An Expires that is not one valid
// HTTP-date (such as "0", a one-digit hour, doubled spaces, or several
// header lines) means already expired, per RFC 9111 section 5.3.
func expiresLifetime(h http.Header, recv time.Time) time.Duration {
	exp, ok := parseHTTPDate(h["Expires"])
	if !ok {
		return 0
	}
	return max(exp.Sub(dateOf(h, recv)), 0)
}

// dateLayouts are the three HTTP-date forms recipients must accept (RFC
// 9110 section 5.6.7): IMF-fixdate, then the obsolete RFC 850 and asctime.
var dateLayouts = []string{http.TimeFormat, "Monday, 02-Jan-06 15:04:05 GMT", "Mon Jan _2 15:04:05 2006"}

// parseHTTPDate parses a field that must be exactly one HTTP-date. Go's time
// parser is lenient (it takes a one-digit hour, for one), so a value is
// accepted only when formatting the parsed time gives it back unchanged.
func parseHTTPDate(lines []string) (time.Time, bool) {
	if len(lines) != 1 {
		return time.Time{}, false
	}
	v := lines[0]
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil && t.Format(layout) == v {
			return t, true
		}
	}
	return time.Time{}, false
}

// heuristic is 10% of Date minus Last-Modified, at most a day. It applies
// only when Last-Modified is valid and in the past.
func heuristic(h http.Header, recv time.Time) (time.Duration, bool) {
	v := h.Get("Last-Modified")
	if v == "" {
		return 0, false // checked first: a failed parse allocates an error
	}
	lm, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	since := dateOf(h, recv).Sub(lm)
	if since <= 0 {
		return 0, false
	}
	return min(since*heuristicFraction/100, heuristicMax), true
}

// dateOf is the response's Date, or its receipt time when Date is missing
// or invalid (RFC 9110 section 6.6.1).
func dateOf(h http.Header, recv time.Time) time.Time {
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		return d
	}
	return recv
}

// initialAge is the corrected initial age of RFC 9111 section 4.2.3: the
// larger of the Age header and the apparent age from Date. The request
// time is not known here, so the response delay is taken as zero.
func initialAge(h http.Header, recv time.Time) time.Duration {
	apparent := max(recv.Sub(dateOf(h, recv)), 0)
	return max(apparent, ageValue(h["Age"]))
}

// ageValue is the Age header as a duration: zero when absent. An Age that
// is not a single non-negative integer (several lines, a list, a sign, a
// fraction, anything else) cannot be trusted to say the response is young,
// so it counts as the largest age, 2^31-1 seconds (RFC 9111 section 1.2.2):
// the response is stale, as the HTTP working group's cache tests expect.
func ageValue(lines []string) time.Duration {
	if len(lines) == 0 {
		return 0
	}
	if len(lines) == 1 {
		if d, ok := parseDelta(lines[0]); ok {
			return d
		}
	}
	return maxDelta
}
