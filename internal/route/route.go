// Package route classifies requests into route classes by method and path.
//
// Classes are fixed at start and addressed by small integers, so the
// per-request hot path indexes slices instead of hashing label strings.
package route

import (
	"net/http"
	"time"
)

// Other is the name of the implicit class of requests that match no route.
const Other = "other"

// Class is one compiled route class.
type Class struct {
	Name       string
	Idempotent bool
	CachePost  bool
	CacheTTL   time.Duration
	OutageCopy bool
	Key        bool
	// Timeout is the per-try timeout when another upstream can take over;
	// zero means the gateway's response header timeout.
	Timeout time.Duration
	match   Matcher
}

// Table matches requests against classes in order; the last class is Other.
type Table struct {
	classes []Class
}

// New compiles route classes. It assumes their validation passed.
func New(routes []Spec) *Table {
	t := &Table{classes: make([]Class, 0, len(routes)+1)}
	for _, r := range routes {
		c := Class{Name: r.Name, Idempotent: r.Idempotent, CachePost: r.CachePost,
			CacheTTL: r.CacheTTL, OutageCopy: r.OutageCopy, Key: r.Key, Timeout: r.Timeout,
			match: Matcher{Methods: r.Methods}}
		for _, p := range r.Paths {
			c.match.Patterns = append(c.match.Patterns, ParsePattern(p))
		}
		t.classes = append(t.classes, c)
	}
	t.classes = append(t.classes, Class{Name: Other})
	return t
}

// Match returns the index of the first class matching the request.
func (t *Table) Match(method, path string) int {
	last := len(t.classes) - 1
	for i := range t.classes[:last] {
		if t.classes[i].match.Match(method, path) {
			return i
		}
	}
	return last
}

// Class returns the class at index i.
func (t *Table) Class(i int) *Class { return &t.classes[i] }

// Len is the number of classes, Other included.
func (t *Table) Len() int { return len(t.classes) }

// Names lists the class names in index order.
func (t *Table) Names() []string {
	names := make([]string, len(t.classes))
	for i, c := range t.classes {
		names[i] = c.Name
	}
	return names
}

// Keys lists the indexes of key-endpoint classes.
func (t *Table) Keys() []int {
	var keys []int
	for i, c := range t.classes {
		if c.Key {
			keys = append(keys, i)
		}
	}
	return keys
}

// Replayable reports whether a request may be replayed safely: the safe
// methods always, other methods when the class says so.
func (c *Class) Replayable(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return c.Idempotent
}
