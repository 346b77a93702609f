package field

import (
	"errors"
	"testing"
)

var errKind = errors.New("kind")

func TestErrorTextAndKind(t *testing.T) {
	e := New(errKind, "latency_ms", "must be between %d and %d", 0, 10)
	if got := e.Error(); got != "latency_ms: must be between 0 and 10" {
		t.Errorf("Error() = %q", got)
	}
	e.Subject = `action "page"`
	if got := e.Error(); got != `action "page": latency_ms: must be between 0 and 10` {
		t.Errorf("with subject: %q", got)
	}
	if !errors.Is(e, errKind) {
		t.Error("an Error must match its kind")
	}
}

func TestPrefixNamesThePart(t *testing.T) {
	other := errors.New("other")
	err := errors.Join(New(nil, "name", "is required"), New(nil, "[2].hold", "too short"), errors.New("plain"))
	got := Prefix("escalation.restore", other, err)
	var fields []string
	for _, e := range got.(interface{ Unwrap() []error }).Unwrap() {
		fe, ok := e.(*Error)
		if !ok || !errors.Is(fe, other) {
			t.Fatalf("%v is not a field error of the new kind", e)
		}
		fields = append(fields, fe.Field)
	}
	want := []string{"escalation.restore.name", "escalation.restore[2].hold", "escalation.restore"}
	for i := range want {
		if fields[i] != want[i] {
			t.Errorf("field %d = %q, want %q", i, fields[i], want[i])
		}
	}
	if Prefix("x", nil, nil) != nil {
		t.Error("Prefix of nil must be nil")
	}
}

func TestFirstAndRanges(t *testing.T) {
	checks := []Check{NotNegative("a", 1), Range("b", 5, 0, 3600000), OptionalRange("c", 0, 400, 599)}
	if err := First(errKind, "", checks); err != nil {
		t.Errorf("valid: %v", err)
	}
	checks = append(checks, Range("d", 2, 0, 1), NotNegative("e", -1))
	err := First(errKind, "sub", checks)
	if err == nil || err.Error() != "sub: d: must be between 0 and 1" {
		t.Errorf("first failure = %v", err)
	}
	if Range("big", 3600001, 0, 3600000).Msg != "must be between 0 and 3600000" {
		t.Error("bounds must print as plain numbers")
	}
}
