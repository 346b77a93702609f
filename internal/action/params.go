package action

import (
	"fmt"
	"math"
	"time"
)

// The parameter helpers read one value from a built-in's params. A missing
// key or a null value yields def; a value of the wrong type is an error
// wrapping ErrParam and naming the key. Values arrive as YAML or JSON
// decoded them, so every Go number type and json.Number are accepted.

// Int reads an integer. Floats are accepted when they are whole numbers.
func Int(params map[string]any, key string, def int) (int, error) {
	v, ok := params[key]
	if !ok || v == nil {
		return def, nil
	}
	f, ok := number(v)
	if !ok || f != math.Trunc(f) || f >= math.MaxInt64 || f < math.MinInt64 {
		return 0, paramErr(key, "an integer", v)
	}
	return int(f), nil
}

// Float reads a number.
func Float(params map[string]any, key string, def float64) (float64, error) {
	v, ok := params[key]
	if !ok || v == nil {
		return def, nil
	}
	f, ok := number(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, paramErr(key, "a number", v)
	}
	return f, nil
}

// Duration reads a non-negative duration: a string such as "30s" or
// "1m30s", or a number of seconds such as 60 or 0.5.
func Duration(params map[string]any, key string, def time.Duration) (time.Duration, error) {
	v, ok := params[key]
	if !ok || v == nil {
		return def, nil
	}
	d, ok := toDuration(v)
	if !ok || d < 0 {
		return 0, paramErr(key, `a non-negative duration such as "30s" or a number of seconds`, v)
	}
	return d, nil
}

// String reads a string.
func String(params map[string]any, key string, def string) (string, error) {
	v, ok := params[key]
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", paramErr(key, "a string", v)
	}
	return s, nil
}

// Bool reads a boolean: true or false, not "yes" or 1.
func Bool(params map[string]any, key string, def bool) (bool, error) {
	v, ok := params[key]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, paramErr(key, "true or false", v)
	}
	return b, nil
}

// CheckKeys rejects parameters a built-in does not know, so a typo such as
// "failure_treshold" fails loudly instead of silently using the default.
func CheckKeys(params map[string]any, allowed ...string) error {
	for k := range params {
		if !contains(allowed, k) {
			return fmt.Errorf("%w: %s: unknown parameter (known: %v)", ErrParam, k, allowed)
		}
	}
	return nil
}

func paramErr(key, want string, got any) error {
	return fmt.Errorf("%w: %s: must be %s, got %T %v", ErrParam, key, want, got, got)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
