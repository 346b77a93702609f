package event

import "testing"

func TestRingKeepsNewestInOrder(t *testing.T) {
	r := NewRing(3)
	for _, k := range []string{"a", "b", "c", "d"} {
		r.Emit(Event{Kind: k})
	}
	got := r.Recent(10)
	if len(got) != 3 || got[0].Kind != "b" || got[2].Kind != "d" {
		t.Fatalf("Recent(10) = %v, want b c d", got)
	}
	if got := r.Recent(1); len(got) != 1 || got[0].Kind != "d" {
		t.Fatalf("Recent(1) = %v, want d", got)
	}
}

func TestFanoutDeliversToAll(t *testing.T) {
	var a, b []string
	f := Fanout{SinkFunc(func(e Event) { a = append(a, e.Kind) }), SinkFunc(func(e Event) { b = append(b, e.Kind) })}
	f.Emit(Event{Kind: "x"})
	if len(a) != 1 || len(b) != 1 {
		t.Fatalf("fanout: a=%v b=%v", a, b)
	}
}
