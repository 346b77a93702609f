package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/itchyny/gojq"
)

func (c *checker) translation(t Translation) {
	seen := make(map[string]bool, len(t.Rules))
	for i, r := range t.Rules {
		f := fmt.Sprintf("translation.rules[%d]", i)
		if r.Name == "" {
			c.add(f+".name", "is required")
		} else if seen[r.Name] {
			c.add(f+".name", "%q is used twice", r.Name)
		}
		seen[r.Name] = true
		c.text(f+".name", r.Name)
		c.match(f, r.Methods, r.Paths)
		if r.Path != "" && !strings.HasPrefix(r.Path, "/") {
			c.add(f+".path", "must start with /, got %q", r.Path)
		}
		if r.Method != "" && !knownMethods[r.Method] {
			c.add(f+".method", "unknown method %q (use upper case)", r.Method)
		}
		c.jq(f+".request", r.Request, false)
		c.jq(f+".response", r.Response, true)
	}
}

// jq checks a program's syntax, so a typo is reported when the file is
// loaded rather than on the first request during an outage.
func (c *checker) jq(field, program string, required bool) {
	if program == "" {
		if required {
			c.add(field, "is required (a jq program)")
		}
		return
	}
	q, err := gojq.Parse(program)
	if err == nil {
		_, err = gojq.Compile(q)
	}
	if err != nil {
		c.add(field, "is not a valid jq program: %v", err)
	}
}

func (c *checker) journal(j Journal) {
	c.text("journal.path", j.Path)
	c.durRange("journal.drain_every", j.DrainEvery, 10*time.Millisecond, time.Hour)
	c.durRange("journal.replay_timeout", j.ReplayTimeout, time.Second, 24*time.Hour)
	c.intRange("journal.replay_workers", j.ReplayWorkers, 1, 256)
}
