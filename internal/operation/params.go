package operation

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// Ranges for every operation's input: wide enough for any real deployment,
// narrow enough to refuse typos such as a timeout in milliseconds given as
// seconds.
const (
	maxThreshold   = 10_000
	maxProbes      = 1_000
	maxSeconds     = 86_400
	minSeconds     = 0.001
	maxCacheSize   = 10_000_000
	minCacheBytes  = 1024
	maxCacheBytes  = 64 << 30
	maxQueueSize   = 1_000_000
	maxConcurrency = 1_000_000
	maxTimeoutMS   = 3_600_000
	maxTTLSeconds  = 30 * 86_400
)

// reader reads one call's loose parameters, as YAML or JSON decoded them.
// A missing key or a null is absent (nil); the first refusal is kept in
// err and later reads return nil, so a parser reads every field in a row
// and checks err once.
type reader struct {
	params map[string]any
	err    error
}

// read starts reading params, refusing any key not in known: a typo such
// as "failure_treshold" must fail loudly, not silently keep the default.
// Keys are checked in sorted order so the refusal does not vary.
func read(params map[string]any, known ...string) *reader {
	r := &reader{params: params}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			r.fail(k, "unknown field")
			break
		}
	}
	return r
}

func (r *reader) fail(name, format string, args ...any) {
	if r.err == nil {
		r.err = field.New(ErrInvalid, name, format, args...)
	}
}

// value returns the raw value, or false when it is absent or a read
// already failed.
func (r *reader) value(key string) (any, bool) {
	v, ok := r.params[key]
	return v, ok && v != nil && r.err == nil
}

// whole reads a whole number within [lo, hi]. Whole floats such as 5.0
// count, since YAML and JSON do not tell them apart from 5.
func (r *reader) whole(key string, lo, hi int64) *int64 {
	v, ok := r.value(key)
	if !ok {
		return nil
	}
	f, isNum := number(v)
	if !isNum || f != math.Trunc(f) {
		r.fail(key, "must be a whole number, got %s", describe(v))
		return nil
	}
	if f < float64(lo) || f > float64(hi) {
		r.fail(key, "must be between %d and %d, got %s", lo, hi, describe(v))
		return nil
	}
	n := int64(f)
	return &n
}

// intIn is whole for an int field.
func (r *reader) intIn(key string, lo, hi int) *int {
	n := r.whole(key, int64(lo), int64(hi))
	if n == nil {
		return nil
	}
	i := int(*n)
	return &i
}

// seconds reads a duration within [lo, hi] seconds: a number of seconds
// such as 30 or 0.5, or a duration string such as "30s".
func (r *reader) seconds(key string, lo, hi float64) *time.Duration {
	v, ok := r.value(key)
	if !ok {
		return nil
	}
	d, isDur := toDuration(v)
	if !isDur {
		r.fail(key, `must be a number of seconds or a duration such as "30s", got %s`, describe(v))
		return nil
	}
	if s := d.Seconds(); math.IsNaN(s) || s < lo || s > hi {
		r.fail(key, "must be between %g and %g seconds, got %s", lo, hi, describe(v))
		return nil
	}
	return &d
}

// boolean reads true or false, not "yes" or 1.
func (r *reader) boolean(key string) *bool { return typed[bool](r, key, "true or false") }

// text reads a string.
func (r *reader) text(key string) *string { return typed[string](r, key, "a string") }

// typed reads a value that must already be a T, such as a bool or a
// string, which YAML and JSON decode to one Go type each.
func typed[T any](r *reader, key, want string) *T {
	v, ok := r.value(key)
	if !ok {
		return nil
	}
	t, isT := v.(T)
	if !isT {
		r.fail(key, "must be %s, got %s", want, describe(v))
		return nil
	}
	return &t
}

// describe shows a refused value the way its sender wrote it.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("string %q", x)
	case bool:
		return fmt.Sprintf("%t", x)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	if f, ok := number(v); ok {
		return fmt.Sprintf("number %v", f)
	}
	return fmt.Sprintf("%T %v", v, v)
}
