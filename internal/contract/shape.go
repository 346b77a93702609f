package contract

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Match checks value (decoded JSON) against shape (decoded JSON, in the
// shape language of the package doc) and names the first mismatch by its
// path.
func Match(shape, value any) error { return match("$", shape, value) }

func match(at string, shape, value any) error {
	switch s := shape.(type) {
	case string:
		return matchType(at, s, value)
	case map[string]any:
		return matchObject(at, s, value)
	case []any:
		return matchArray(at, s, value)
	default: // numbers, booleans and null match exactly
		if fmt.Sprint(s) != fmt.Sprint(value) || jsonType(value) != jsonType(s) {
			return fmt.Errorf("%s: want %v, got %s", at, s, brief(value))
		}
		return nil
	}
}

func matchType(at, want string, value any) error {
	if exact, ok := strings.CutPrefix(want, "="); ok {
		if value != exact {
			return fmt.Errorf("%s: want %q, got %s", at, exact, brief(value))
		}
		return nil
	}
	got := jsonType(value)
	for _, alt := range strings.Split(want, "|") {
		if alt == "any" || alt == got || (alt == "number" && got == "integer") {
			return nil
		}
		if !knownTypes[alt] {
			return fmt.Errorf("%s: the shape names an unknown type %q", at, alt)
		}
	}
	return fmt.Errorf("%s: want %s, got %s", at, want, brief(value))
}

var knownTypes = map[string]bool{"string": true, "number": true, "integer": true, "boolean": true,
	"array": true, "object": true, "null": true, "any": true}

func matchObject(at string, shape map[string]any, value any) error {
	obj, ok := value.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: want an object, got %s", at, brief(value))
	}
	for key, sub := range shape {
		name, optional := strings.CutSuffix(key, "?")
		v, present := obj[name]
		if !present {
			if optional {
				continue
			}
			return fmt.Errorf("%s: missing key %q", at, name)
		}
		if err := match(at+"."+name, sub, v); err != nil {
			return err
		}
	}
	return nil
}

func matchArray(at string, shape []any, value any) error {
	list, ok := value.([]any)
	if !ok {
		return fmt.Errorf("%s: want an array, got %s", at, brief(value))
	}
	if len(shape) == 0 {
		return nil
	}
	elem := shape[0]
	if len(shape) == 2 && shape[0] == "+" {
		if len(list) == 0 {
			return fmt.Errorf("%s: want at least one element, got none", at)
		}
		elem = shape[1]
	} else if len(shape) != 1 {
		return fmt.Errorf("%s: an array shape is [shape] or [\"+\", shape]", at)
	}
	for i, v := range list {
		if err := match(fmt.Sprintf("%s.%d", at, i), elem, v); err != nil {
			return err
		}
	}
	return nil
}

// jsonType names the JSON type of a decoded value; whole numbers are
// "integer".
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// brief is a value for an error message, cut to a readable length.
func brief(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		return string(b[:120]) + "…"
	}
	return string(b)
}
