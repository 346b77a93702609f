package contract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Fixture is one named sequence of requests and expected answers.
type Fixture struct {
	Name   string   `json:"name"`
	Source string   `json:"source"`           // the real source file and function the contract comes from
	States []string `json:"states,omitempty"` // where it applies; empty: every state
	Steps  []Step   `json:"steps"`
	file   string
}

// Step is one request, what must come back, and what to keep for later steps.
type Step struct {
	Request  Request           `json:"request"`
	Expect   Expect            `json:"expect"`
	ExpectIn map[string]Expect `json:"expect_in,omitempty"` // per-state replacements of Expect
	Capture  map[string]string `json:"capture,omitempty"`   // name -> dotted path into the answer
}

// Request is what a step sends; at most one of JSON, Body and Multipart.
type Request struct {
	Method    string            `json:"method"`
	Path      string            `json:"path"`
	Headers   map[string]string `json:"headers,omitempty"`
	JSON      json.RawMessage   `json:"json,omitempty"`
	Body      *string           `json:"body,omitempty"`
	Multipart *Multipart        `json:"multipart,omitempty"`
}

// Multipart is a multipart/form-data body with fields and one file.
type Multipart struct {
	Fields map[string]string `json:"fields,omitempty"`
	File   *File             `json:"file,omitempty"`
}

// File is the file part of a multipart body.
type File struct {
	Field   string `json:"field"`
	Name    string `json:"name"`
	Content string `json:"content"`
}

// Expect is the status and the shape of an answer.
type Expect struct {
	Status int             `json:"status"`
	Shape  json.RawMessage `json:"shape,omitempty"`
}

// Load reads every *.json file of dir, in name order, each a JSON array of
// fixtures, and checks that each fixture can run.
func Load(dir string) ([]Fixture, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("contract: listing %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("contract: no *.json fixtures in %s", dir)
	}
	var all []Fixture
	for _, f := range files {
		fixtures, err := loadFile(f)
		if err != nil {
			return nil, err
		}
		all = append(all, fixtures...)
	}
	return all, nil
}

func loadFile(path string) ([]Fixture, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	var fixtures []Fixture
	if err := json.Unmarshal(raw, &fixtures); err != nil {
		return nil, fmt.Errorf("contract: %s: %w", path, err)
	}
	for i := range fixtures {
		fixtures[i].file = filepath.Base(path)
		if err := fixtures[i].check(); err != nil {
			return nil, fmt.Errorf("contract: %s: %w", path, err)
		}
	}
	return fixtures, nil
}

// check refuses fixtures that cannot run or cannot fail.
func (f Fixture) check() error {
	if f.Name == "" || f.Source == "" {
		return fmt.Errorf("fixture %q: name and source are required", f.Name)
	}
	if len(f.Steps) == 0 {
		return fmt.Errorf("fixture %q: no steps", f.Name)
	}
	for i, s := range f.Steps {
		r := s.Request
		if r.Method == "" || r.Path == "" {
			return fmt.Errorf("fixture %q step %d: method and path are required", f.Name, i+1)
		}
		if s.Expect.Status == 0 {
			return fmt.Errorf("fixture %q step %d: expect.status is required", f.Name, i+1)
		}
		bodies := 0
		for _, set := range []bool{len(r.JSON) > 0, r.Body != nil, r.Multipart != nil} {
			if set {
				bodies++
			}
		}
		if bodies > 1 {
			return fmt.Errorf("fixture %q step %d: json, body and multipart exclude each other", f.Name, i+1)
		}
	}
	return nil
}

// Select keeps the fixtures that apply in state.
func Select(fixtures []Fixture, state string) []Fixture {
	var out []Fixture
	for _, f := range fixtures {
		if len(f.States) == 0 || slices.Contains(f.States, state) {
			out = append(out, f)
		}
	}
	return out
}

// expect is what a step must answer in state.
func (s Step) expect(state string) Expect {
	if e, ok := s.ExpectIn[state]; ok {
		return e
	}
	return s.Expect
}
