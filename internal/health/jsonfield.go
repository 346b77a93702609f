package health

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors describing why a JSON body could not be judged.
var (
	errNotJSON   = errors.New("health: body is not a JSON object")
	errNoField   = errors.New("health: field missing")
	errNotScalar = errors.New("health: field is not a string, number, boolean or null")
	errUnhealthy = errors.New("health: field value not in HealthyValues")
)

// maxShownLength bounds how much of a field value a reason quotes.
const maxShownLength = 64

// judgeField decides whether the field at path of the JSON document data
// holds one of the healthy values, and explains the verdict in a reason.
func judgeField(data []byte, path, healthy []string) (reason string, ok bool, err error) {
	name := strings.Join(path, ".")
	v, err := lookup(data, path)
	switch {
	case errors.Is(err, errNotJSON):
		return "body not JSON", false, err
	case err != nil:
		return "field " + name + " missing", false, err
	}
	text, quoted, err := scalarText(v)
	if err != nil {
		return "field " + name + " not a scalar", false, err
	}
	if slices.Contains(healthy, text) {
		return "ok", true, nil
	}
	return "field " + name + "=" + shorten(quoted), false, errUnhealthy
}

// lookup decodes data and walks path through nested objects.
func lookup(data []byte, path []string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotJSON, err)
	}
	if _, isObject := doc.(map[string]any); !isObject {
		return nil, errNotJSON
	}
	for _, key := range path {
		obj, isObject := doc.(map[string]any)
		if !isObject {
			return nil, fmt.Errorf("%w: %q", errNoField, key)
		}
		if doc, isObject = obj[key]; !isObject {
			return nil, fmt.Errorf("%w: %q", errNoField, key)
		}
	}
	return doc, nil
}

// scalarText renders a JSON scalar as the text HealthyValues are compared
// with, and as it should appear in a reason (strings quoted).
func scalarText(v any) (text, shown string, err error) {
	switch v := v.(type) {
	case string:
		return v, fmt.Sprintf("%q", v), nil
	case json.Number:
		return v.String(), v.String(), nil
	case bool:
		return fmt.Sprint(v), fmt.Sprint(v), nil
	case nil:
		return "null", "null", nil
	}
	return "", "", errNotScalar
}

// shorten keeps reasons short when an upstream puts a long text in the field.
func shorten(s string) string {
	if len(s) <= maxShownLength {
		return s
	}
	return s[:maxShownLength] + "..."
}
