package operation

import (
	"encoding/json"
	"math"
	"time"
)

// number converts any Go or JSON number to float64. Strings are not
// numbers: "5" in a YAML file was quoted on purpose or by mistake, and
// either way the operator should hear about it.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float32:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// maxDurationSeconds keeps a number of seconds from overflowing
// time.Duration.
const maxDurationSeconds = float64(math.MaxInt64) / float64(time.Second)

// toDuration accepts a time.Duration, a duration string or seconds.
func toDuration(v any) (time.Duration, bool) {
	switch d := v.(type) {
	case time.Duration:
		return d, true
	case string:
		parsed, err := time.ParseDuration(d)
		return parsed, err == nil
	}
	secs, ok := number(v)
	if !ok || math.IsNaN(secs) || math.IsInf(secs, 0) || math.Abs(secs) >= maxDurationSeconds {
		return 0, false
	}
	return time.Duration(secs * float64(time.Second)), true
}
