package action

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParamHelpers(t *testing.T) {
	p := map[string]any{
		"int": 7, "i64": int64(-2), "whole": 3.0, "frac": 2.5, "num": json.Number("12"),
		"str": "hello", "dur": "1m30s", "secs": 90, "half": 0.5, "neg": "-1s",
		"yes": true, "null": nil, "big": 1e300,
	}
	checkInt := func(key string, want int, wantErr string) {
		t.Helper()
		got, err := Int(p, key, -1)
		checkParam(t, key, got, want, err, wantErr)
	}
	checkInt("int", 7, "")
	checkInt("i64", -2, "")
	checkInt("whole", 3, "")
	checkInt("num", 12, "")
	checkInt("absent", -1, "")
	checkInt("null", -1, "")
	checkInt("frac", 0, "frac: must be an integer, got float64 2.5")
	checkInt("str", 0, `str: must be an integer, got string hello`)
	checkInt("big", 0, "big: must be an integer")

	checkDur := func(key string, want time.Duration, wantErr string) {
		t.Helper()
		got, err := Duration(p, key, time.Hour)
		checkParam(t, key, got, want, err, wantErr)
	}
	checkDur("dur", 90*time.Second, "")
	checkDur("secs", 90*time.Second, "")
	checkDur("half", 500*time.Millisecond, "")
	checkDur("absent", time.Hour, "")
	checkDur("neg", 0, "neg: must be a non-negative duration")
	checkDur("str", 0, "str: must be a non-negative duration")
	checkDur("yes", 0, "yes: must be a non-negative duration")
	checkDur("big", 0, "big: must be a non-negative duration")

	f, err := Float(p, "frac", 0)
	checkParam(t, "frac", f, 2.5, err, "")
	f, err = Float(p, "str", 1)
	checkParam(t, "str", f, 0, err, "str: must be a number")
	s, err := String(p, "str", "")
	checkParam(t, "str", s, "hello", err, "")
	s, err = String(p, "int", "def")
	checkParam(t, "int", s, "", err, "int: must be a string, got int 7")
	s, err = String(p, "absent", "def")
	checkParam(t, "absent", s, "def", err, "")
	b, err := Bool(p, "yes", false)
	checkParam(t, "yes", b, true, err, "")
	b, err = Bool(p, "str", true)
	checkParam(t, "str", b, false, err, "str: must be true or false")
}

func checkParam[T comparable](t *testing.T, key string, got, want T, err error, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil || got != want {
			t.Errorf("%s: got %v, %v; want %v", key, got, err, want)
		}
		return
	}
	if err == nil || !errors.Is(err, ErrParam) || !strings.Contains(err.Error(), wantErr) {
		t.Errorf("%s: err = %v, want ErrParam containing %q", key, err, wantErr)
	}
}

func TestCheckKeys(t *testing.T) {
	p := map[string]any{"max_size": 2000}
	if err := CheckKeys(p, "max_size"); err != nil {
		t.Fatalf("known key refused: %v", err)
	}
	err := CheckKeys(p, "max_queue_size", "timeout_ms")
	if !errors.Is(err, ErrParam) || !strings.Contains(err.Error(), "max_size: unknown parameter") {
		t.Fatalf("err = %v", err)
	}
}
