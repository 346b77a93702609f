package journal

import (
	"net/http/httptest"
	"testing"
)

func BenchmarkAppend(b *testing.B) {
	j := openAt(b, journalPath(b), nil)
	m := Message{Role: "user", Content: "a message of a typical length for a chat turn"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.addMessage(tenant{}, "s", m, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendParallel shows group commit: concurrent appends share
// fsyncs.
func BenchmarkAppendParallel(b *testing.B) {
	j := openAt(b, journalPath(b), nil)
	m := Message{Role: "user", Content: "a message of a typical length for a chat turn"}
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := j.addMessage(tenant{}, "s", m, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkHoldsEmpty(b *testing.B) {
	j := openAt(b, journalPath(b), nil)
	r := httptest.NewRequest("GET", "/api/v1/sessions/s1/messages", nil)
	b.ReportAllocs()
	for b.Loop() {
		if j.Holds("s1") || j.HoldsRequest(r) {
			b.Fatal("held")
		}
	}
}

func BenchmarkHoldsPending(b *testing.B) {
	j := openAt(b, journalPath(b), nil)
	if _, err := j.addMessage(tenant{}, "other", Message{Role: "user", Content: "x"}, nil); err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/api/v1/sessions/s1/messages", nil)
	b.ReportAllocs()
	for b.Loop() {
		if j.HoldsRequest(r) {
			b.Fatal("held")
		}
	}
}

// TestHoldsAllocatesNothing pins the hot path's zero allocations.
func TestHoldsAllocatesNothing(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	r := httptest.NewRequest("GET", "/api/v1/sessions/s1", nil)
	check := func(when string) {
		if n := testing.AllocsPerRun(100, func() { j.Holds("s1"); j.HoldsRequest(r) }); n != 0 {
			t.Errorf("%s: %v allocations", when, n)
		}
	}
	check("empty")
	mustOK(t, second(j.addMessage(tenant{}, "other", Message{Role: "user", Content: "x"}, nil)))
	check("pending")
}
