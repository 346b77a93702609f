package operation

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// The readers take values as YAML or JSON decoded them, every Go number
// type and json.Number alike, and name the key of any they refuse.
func TestReaders(t *testing.T) {
	p := map[string]any{
		"int": 7, "i64": int64(-2), "whole": 3.0, "frac": 2.5, "num": json.Number("12"),
		"str": "hello", "dur": "1m30s", "secs": 90, "half": 0.5, "neg": "-1s",
		"yes": true, "null": nil, "big": 1e300,
	}
	checkInt := func(key string, want int, wantErr string) {
		t.Helper()
		r := readAll(p)
		got := r.intIn(key, -100, 100)
		checkRead(t, key, got, want, r.err, wantErr)
	}
	checkInt("int", 7, "")
	checkInt("i64", -2, "")
	checkInt("whole", 3, "")
	checkInt("num", 12, "")
	checkInt("absent", 0, "")
	checkInt("null", 0, "")
	checkInt("frac", 0, "frac: must be a whole number, got number 2.5")
	checkInt("str", 0, `str: must be a whole number, got string "hello"`)
	checkInt("big", 0, "big: must be between -100 and 100")

	checkDur := func(key string, want time.Duration, wantErr string) {
		t.Helper()
		r := readAll(p)
		got := r.seconds(key, 0, 3600)
		checkRead(t, key, got, want, r.err, wantErr)
	}
	checkDur("dur", 90*time.Second, "")
	checkDur("secs", 90*time.Second, "")
	checkDur("half", 500*time.Millisecond, "")
	checkDur("absent", 0, "")
	checkDur("neg", 0, "neg: must be between 0 and 3600 seconds")
	checkDur("str", 0, "str: must be a number of seconds or a duration")
	checkDur("yes", 0, "yes: must be a number of seconds or a duration")
	checkDur("big", 0, "big: must be a number of seconds or a duration")

	r := readAll(p)
	checkRead(t, "str", r.text("str"), "hello", r.err, "")
	checkRead(t, "absent", r.text("absent"), "", r.err, "")
	checkRead(t, "int", r.text("int"), "", r.err, "int: must be a string, got number 7")
	r = readAll(p)
	checkRead(t, "yes", r.boolean("yes"), true, r.err, "")
	checkRead(t, "str", r.boolean("str"), false, r.err, "str: must be true or false")
}

// readAll reads p with every key known.
func readAll(p map[string]any) *reader { return read(p, slices.Collect(maps.Keys(p))...) }

// checkRead compares a read value (nil meaning absent or refused, shown as
// the zero value) and its error with what is wanted.
func checkRead[T comparable](t *testing.T, key string, got *T, want T, err error, wantErr string) {
	t.Helper()
	var v T
	if got != nil {
		v = *got
	}
	if wantErr == "" {
		if err != nil || v != want {
			t.Errorf("%s: got %v, %v; want %v", key, v, err, want)
		}
		return
	}
	var fe *field.Error
	if got != nil || !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Field != key || !strings.Contains(err.Error(), wantErr) {
		t.Errorf("%s: got %v, err = %v, want ErrInvalid containing %q", key, got, err, wantErr)
	}
}

// An unknown key is refused by name, whatever the others hold.
func TestUnknownKeys(t *testing.T) {
	if r := read(map[string]any{"max_size": 2000}, "max_size"); r.err != nil {
		t.Fatalf("known key refused: %v", r.err)
	}
	r := read(map[string]any{"max_size": 2000}, "max_queue_size", "timeout_ms")
	if !errors.Is(r.err, ErrInvalid) || !strings.Contains(r.err.Error(), "max_size: unknown field") {
		t.Fatalf("err = %v", r.err)
	}
	if n := r.intIn("max_size", 0, 1e6); n != nil || !strings.HasPrefix(r.err.Error(), "max_size: unknown") {
		t.Fatalf("a read after a refusal: %v, %v", n, r.err)
	}
}
