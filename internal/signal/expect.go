package signal

import (
	"encoding/json"
	"fmt"
	"github.com/lifeboat-sre/lifeboat/internal/jsonpath"
	"math"
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

// compile checks e and parses its path.
func (e Expect) compile() (jsonpath.Path, error) {
	if e.Status != 0 && (e.Status < 100 || e.Status > 599) {
		return nil, fmt.Errorf("%w: expected status %d", ErrConfig, e.Status)
	}
	if math.IsNaN(e.Min) || math.IsInf(e.Min, 0) {
		return nil, fmt.Errorf("%w: expected Min %g", ErrConfig, e.Min)
	}
	if e.Path == "" {
		return nil, fmt.Errorf("%w: expect needs a Path", ErrConfig)
	}
	p, err := jsonpath.Compile(e.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return p, nil
}

// statusOK applies the Status rule.
func (e Expect) statusOK(status int) bool {
	if e.Status == 0 {
		return status >= 200 && status <= 299
	}
	return status == e.Status
}

// collect decodes body and returns every value at the path.
func collect(body []byte, path jsonpath.Path) ([]any, error) {
	doc, err := jsonpath.Decode(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return path.Lookup(doc), nil
}

// match applies the condition to the values found.
func (e Expect) match(values []any) bool {
	for _, v := range values {
		if e.Contains != "" && jsonpath.Text(v) == e.Contains {
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
