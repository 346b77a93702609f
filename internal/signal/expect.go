package signal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Expect says what a functional probe's JSON answer must hold. It is a
// deliberately small language: one path and one condition.
type Expect struct {
	// Status is the HTTP status the answer must have. Default 0: any 2xx.
	Status int
	// Path is a dotted path into the JSON answer. A segment ending in "[]"
	// walks every element of the array it names, and "[]" alone walks an
	// array at that point: "result.resources[].uri" collects the uri of
	// every resource. Required.
	Path string
	// Contains, when set, requires one value at Path to equal it exactly;
	// numbers and booleans compare by their JSON text ("3", "true").
	// Default "": use Min instead.
	Contains string
	// Min applies when Contains is empty: one value at Path must be a
	// number of at least Min, as in {Path: "result.total", Min: 1}.
	// Default 0.
	Min float64
}

// step is one parsed path segment.
type step struct {
	key  string // "" when the segment is a bare "[]"
	each bool   // walk array elements
}

// compile checks e and parses its path.
func (e Expect) compile() ([]step, error) {
	if e.Status != 0 && (e.Status < 100 || e.Status > 599) {
		return nil, fmt.Errorf("%w: expected status %d", ErrConfig, e.Status)
	}
	if math.IsNaN(e.Min) || math.IsInf(e.Min, 0) {
		return nil, fmt.Errorf("%w: expected Min %g", ErrConfig, e.Min)
	}
	if e.Path == "" {
		return nil, fmt.Errorf("%w: expect needs a Path", ErrConfig)
	}
	var steps []step
	for seg := range strings.SplitSeq(e.Path, ".") {
		key, each := strings.CutSuffix(seg, "[]")
		if (key == "" && !each) || strings.ContainsAny(key, "[]") {
			return nil, fmt.Errorf("%w: bad segment %q in path %q", ErrConfig, seg, e.Path)
		}
		steps = append(steps, step{key: key, each: each})
	}
	return steps, nil
}

// statusOK applies the Status rule.
func (e Expect) statusOK(status int) bool {
	if e.Status == 0 {
		return status >= 200 && status <= 299
	}
	return status == e.Status
}

// collect decodes body and returns every value at the path.
func collect(body []byte, steps []step) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: answer is not JSON: %w", ErrMalformed, err)
	}
	values := []any{doc}
	for _, st := range steps {
		values = st.apply(values)
	}
	return values, nil
}

// apply moves every value one segment along; values without the key, or
// that are not arrays where one is walked, drop out.
func (st step) apply(in []any) []any {
	var out []any
	for _, v := range in {
		if st.key != "" {
			obj, _ := v.(map[string]any) // nil when v is no object: no key found
			var found bool
			if v, found = obj[st.key]; !found {
				continue
			}
		}
		if !st.each {
			out = append(out, v)
			continue
		}
		if arr, ok := v.([]any); ok {
			out = append(out, arr...)
		}
	}
	return out
}

// match applies the condition to the values found.
func (e Expect) match(values []any) bool {
	for _, v := range values {
		if e.Contains != "" && jsonText(v) == e.Contains {
			return true
		}
		if n, ok := v.(json.Number); ok && e.Contains == "" {
			if f, err := n.Float64(); err == nil && f >= e.Min {
				return true
			}
		}
	}
	return false
}

// describe renders the condition for Detail.
func (e Expect) describe() string {
	if e.Contains != "" {
		return fmt.Sprintf("%s has %q", e.Path, e.Contains)
	}
	return fmt.Sprintf("%s >= %g", e.Path, e.Min)
}

// jsonText is a value as Contains compares it: strings bare, everything
// else as JSON.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// preview shows up to three values found, for failure evidence.
func preview(values []any) string {
	const shown = 3
	parts := make([]string, 0, shown)
	for _, v := range values[:min(len(values), shown)] {
		parts = append(parts, shorten(jsonText(v)))
	}
	s := "[" + strings.Join(parts, ", ")
	if len(values) > shown {
		s += fmt.Sprintf(", ... %d more", len(values)-shown)
	}
	return s + "]"
}
