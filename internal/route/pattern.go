package route

import (
	"slices"
	"strings"
	"unicode"
)

// Pattern is a compiled path pattern: the segments of a pattern such as
// "/api/v1/sessions/*/messages". A "*" segment matches exactly one
// non-empty path segment; "**" as the last segment matches the non-empty
// rest of the path. Routes and translations share it, so one pattern means
// the same thing in both.
type Pattern []string

// ParsePattern splits a pattern into its segments. It does not check the
// pattern: CheckPattern says why one cannot be used, and a
// malformed pattern simply matches less.
func ParsePattern(s string) Pattern {
	return strings.Split(strings.TrimPrefix(s, "/"), "/")
}

// Match walks the path segment by segment without allocating: it runs on
// every request. A trailing slash is an extra, empty segment, so
// "/health/" does not match "/health".
func (p Pattern) Match(path string) bool {
	rest := strings.TrimPrefix(path, "/")
	for i, seg := range p {
		if seg == "**" {
			return rest != ""
		}
		head, tail, more := strings.Cut(rest, "/")
		if (seg == "*" && head == "") || (seg != "*" && seg != head) {
			return false
		}
		if i == len(p)-1 {
			return !more
		}
		if !more {
			return false
		}
		rest = tail
	}
	return false
}

// Matcher matches a request by method and path, as a route class or a
// translation rule does.
type Matcher struct {
	// Methods are the HTTP methods matched, compared exactly. Default:
	// empty, any method.
	Methods []string
	// Patterns are the paths matched; a request matches when any does.
	// Default: empty, nothing matches.
	Patterns []Pattern
}

// Match reports whether the request matches. It does not allocate.
func (m *Matcher) Match(method, path string) bool {
	if len(m.Methods) > 0 && !slices.Contains(m.Methods, method) {
		return false
	}
	for _, p := range m.Patterns {
		if p.Match(path) {
			return true
		}
	}
	return false
}

// CheckPattern returns why a path pattern cannot be used, in words that
// may follow a field name ("must start with /"), or "" when it can. Route
// classes and translation rules share the pattern syntax (route.Pattern),
// so they share this check too; the configuration
// loader reports its answer against the field.
func CheckPattern(p string) string {
	if !strings.HasPrefix(p, "/") {
		return "must start with /"
	}
	if strings.IndexFunc(p, unicode.IsControl) >= 0 {
		return "must not contain control characters"
	}
	segs := strings.Split(p[1:], "/")
	for i, s := range segs {
		if s == "**" && i != len(segs)-1 {
			return `"**" is only allowed as the last segment`
		}
		if s != "*" && s != "**" && strings.Contains(s, "*") {
			return `"*" must be a whole segment`
		}
	}
	return ""
}
