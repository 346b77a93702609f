package translate

import "strings"

// parsePattern splits a path pattern into segments, or says why it cannot
// be used. The syntax is internal/route's, so one pattern means the same
// thing in routes and translations.
func parsePattern(p string) ([]string, string) {
	if !strings.HasPrefix(p, "/") {
		return nil, "must start with /"
	}
	segs := strings.Split(p[1:], "/")
	for i, s := range segs {
		if s == "**" && i != len(segs)-1 {
			return nil, `"**" is only allowed as the last segment`
		}
		if s != "*" && s != "**" && strings.Contains(s, "*") {
			return nil, `"*" must be a whole segment`
		}
	}
	return segs, ""
}

// matches reports whether the rule applies to a request.
func (c *compiled) matches(method, path string) bool {
	if len(c.methods) > 0 && !contains(c.methods, method) {
		return false
	}
	for _, p := range c.patterns {
		if matchPattern(p, path) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// matchPattern walks the path segment by segment without allocating. A
// trailing slash is an extra, empty segment, so "/health/" does not match
// "/health".
func matchPattern(pattern []string, path string) bool {
	rest := strings.TrimPrefix(path, "/")
	for i, seg := range pattern {
		if seg == "**" {
			return rest != ""
		}
		head, tail, more := strings.Cut(rest, "/")
		if (seg == "*" && head == "") || (seg != "*" && seg != head) {
			return false
		}
		if i == len(pattern)-1 {
			return !more
		}
		if !more {
			return false
		}
		rest = tail
	}
	return false
}
