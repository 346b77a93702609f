package config

import (
	"fmt"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/route"
)

var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

func (c *checker) routes(routes []route.Spec) {
	seen := make(map[string]bool, len(routes))
	for i, r := range routes {
		f := fmt.Sprintf("routes[%d]", i)
		switch {
		case r.Name == "":
			c.add(f+".name", "is required")
		case r.Name == "other" || r.Name == "cache":
			c.add(f+".name", "%q is reserved", r.Name)
		case seen[r.Name]:
			c.add(f+".name", "%q is used twice", r.Name)
		}
		seen[r.Name] = true
		c.text(f+".name", r.Name)
		c.match(f, r.Methods, r.Paths)
		c.durRange(f+".cache_ttl", r.CacheTTL, 0, 30*24*time.Hour)
		c.durRange(f+".timeout", r.Timeout, 0, 10*time.Minute)
	}
}

// match checks what a route class or a translation rule matches on: known
// methods and at least one well-formed path pattern.
func (c *checker) match(f string, methods, paths []string) {
	for _, m := range methods {
		if !knownMethods[m] {
			c.add(f+".methods", "unknown method %q (use upper case)", m)
		}
	}
	if len(paths) == 0 {
		c.add(f+".paths", "must list at least one pattern")
	}
	for _, p := range paths {
		if msg := route.CheckPattern(p); msg != "" {
			c.add(f+".paths", "%s: %q", msg, p)
		}
	}
}
