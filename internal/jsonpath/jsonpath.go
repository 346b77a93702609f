// Package jsonpath is the small path language that functional probes and
// verification suites use to point into a JSON answer: dotted keys, where
// a segment ending in "[]" (or a bare "[]") walks every element of an
// array, as in "result.resources[].uri".
package jsonpath

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrPath marks a malformed path; ErrNotJSON an answer that is not JSON.
var (
	ErrPath    = errors.New("jsonpath: bad path")
	ErrNotJSON = errors.New("jsonpath: answer is not JSON")
)

// Path is a compiled path.
type Path []segment

type segment struct {
	key  string // "" when the segment is a bare "[]"
	each bool   // walk array elements
}

// Compile parses a dotted path.
func Compile(path string) (Path, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: empty", ErrPath)
	}
	var p Path
	for seg := range strings.SplitSeq(path, ".") {
		key, each := strings.CutSuffix(seg, "[]")
		if (key == "" && !each) || strings.ContainsAny(key, "[]") {
			return nil, fmt.Errorf("%w: segment %q in %q", ErrPath, seg, path)
		}
		p = append(p, segment{key: key, each: each})
	}
	return p, nil
}

// Decode parses a JSON answer, keeping numbers as json.Number so they
// compare by their text.
func Decode(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotJSON, err)
	}
	return doc, nil
}

// Lookup returns every value at the path in doc.
func (p Path) Lookup(doc any) []any {
	values := []any{doc}
	for _, s := range p {
		values = s.apply(values)
	}
	return values
}

// apply moves every value one segment along; values without the key, or
// that are not arrays where one is walked, drop out.
func (s segment) apply(in []any) []any {
	var out []any
	for _, v := range in {
		if s.key != "" {
			obj, _ := v.(map[string]any) // nil when v is no object: no key found
			var found bool
			if v, found = obj[s.key]; !found {
				continue
			}
		}
		if !s.each {
			out = append(out, v)
			continue
		}
		if arr, ok := v.([]any); ok {
			out = append(out, arr...)
		}
	}
	return out
}

// Text is a value as conditions compare it: strings bare, everything else
// as JSON.
func Text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Preview shows up to three values, each cut to about n bytes, for a
// failure's evidence.
func Preview(values []any, n int) string {
	const shown = 3
	parts := make([]string, 0, shown)
	for _, v := range values[:min(len(values), shown)] {
		parts = append(parts, Shorten(Text(v), n))
	}
	s := "[" + strings.Join(parts, ", ")
	if len(values) > shown {
		s += fmt.Sprintf(", ... %d more", len(values)-shown)
	}
	return s + "]"
}

// Shorten cuts s to about n bytes on a rune boundary, on one line.
func Shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
