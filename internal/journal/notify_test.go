package journal

import (
	"sync/atomic"
	"testing"
)

// OnAppend tells the owner once per durable op, and never for a write
// that was refused or changed nothing.
func TestOnAppendFollowsEveryDurableOp(t *testing.T) {
	fb, _ := startOV(t)
	var n atomic.Int64
	j := openAt(t, journalPath(t), nil, func(o *Options) { o.OnAppend = func() { n.Add(1) } })
	c := client(j)
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "s1"})
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "s1"}) // idempotent: nothing appended
	addMessages(t, c, fb.URL(), "s1", 3)
	for _, s := range badSteps() {
		call(t, c, s.method, fb.URL()+s.path, s.body, s.headers...)
	}
	if got, want := n.Load(), int64(j.Stats().Appended); got != 4 || got != want {
		t.Fatalf("OnAppend called %d times for %d appended ops, want 4", got, want)
	}
}
