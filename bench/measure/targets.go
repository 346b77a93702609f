package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// Target is one thing measured: a URL to load and the process serving it.
type Target struct {
	// Name identifies the target in the results, for example "nginx".
	Name string `json:"name"`
	// URL is requested by every load generator.
	URL string `json:"url"`
	// PID is the serving process. Its CPU time and memory are counted
	// together with its descendants' (nginx's workers).
	PID int `json:"pid"`
}

func loadTargets(path string) ([]Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ts []Target
	if err := json.Unmarshal(data, &ts); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("%s: no targets", path)
	}
	for _, t := range ts {
		if t.Name == "" || t.URL == "" || t.PID <= 0 {
			return nil, fmt.Errorf("%s: target %+v needs name, url and pid", path, t)
		}
	}
	return ts, nil
}

func names(ts []Target) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}
