package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// segment is one parsed step of a JSON path.
type segment struct {
	key  string // "" when the segment is a bare "[]"
	each bool   // walk array elements
}

// compilePath parses a dotted path such as "result.resources[].uri".
func compilePath(path string) ([]segment, error) {
	if path == "" {
		return nil, fmt.Errorf("empty JSON path")
	}
	var segs []segment
	for seg := range strings.SplitSeq(path, ".") {
		key, each := strings.CutSuffix(seg, "[]")
		if (key == "" && !each) || strings.ContainsAny(key, "[]") {
			return nil, fmt.Errorf("bad segment %q in JSON path %q", seg, path)
		}
		segs = append(segs, segment{key: key, each: each})
	}
	return segs, nil
}

// decode parses a JSON answer, keeping numbers as their text.
func decode(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("answer is not JSON: %w", err)
	}
	return doc, nil
}

// lookup returns every value at path in doc; path has been validated.
func lookup(doc any, path string) []any {
	segs, _ := compilePath(path)
	values := []any{doc}
	for _, s := range segs {
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

// jsonText is a value as conditions compare it: strings bare, everything
// else as JSON.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// preview shows up to three values found, for a failure's reason.
func preview(values []any) string {
	const shown = 3
	parts := make([]string, 0, shown)
	for _, v := range values[:min(len(values), shown)] {
		parts = append(parts, shorten(jsonText(v), 80))
	}
	s := "[" + strings.Join(parts, ", ")
	if len(values) > shown {
		s += fmt.Sprintf(", ... %d more", len(values)-shown)
	}
	return s + "]"
}

// shorten cuts s to about n bytes on a rune boundary, on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
