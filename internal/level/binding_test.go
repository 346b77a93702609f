package level

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// A state stored at L3 for one pair of upstreams is resumed in front of the
// same pair (a trailing slash or case aside), and not in front of another:
// that start is at L0, fallback routing is not applied, the event says
// what was found, and the store is bound to the new pair.
func TestStoredStateBoundToItsUpstreams(t *testing.T) {
	old := Upstreams{Primary: "http://ov-old:1933", Fallback: "http://smp:9621"}
	stored := State{Level: L3, Phase: OnFallback, Since: time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC), Upstreams: old}

	r := newRig(t, nil)
	_ = r.store.Save(stored)
	same := r.newEngineWith(Settings{}, func(o *Options) {
		o.Upstreams = Upstreams{Primary: "HTTP://ov-old:1933/", Fallback: "http://smp:9621"}
	})
	if st := same.state(); st.Level != L3 {
		t.Fatalf("same upstreams: resumed at %s, want L3", st.Level)
	}
	if _, ok := same.Foreign(); ok {
		t.Fatal("same upstreams reported as foreign")
	}

	r = newRig(t, nil)
	_ = r.store.Save(stored)
	moved := Upstreams{Primary: "http://ov-new:1933", Fallback: "http://smp:9621"}
	e := r.newEngineWith(Settings{}, func(o *Options) { o.Upstreams = moved })
	if st := e.state(); st.Level != L0 || st.Upstreams != moved {
		t.Fatalf("other primary: started at %s bound to %+v, want L0 bound to %+v", st.Level, st.Upstreams, moved)
	}
	if mode := r.gw.Routing().Mode; mode == proxy.ModeFallback {
		t.Fatal("the old level's fallback routing was applied to the new primary")
	}
	if found, ok := e.Foreign(); !ok || found.Level != L3 || found.Upstreams != old {
		t.Fatalf("Foreign() = %+v, %v; want the stored L3 of %+v", found, ok, old)
	}
	if saved, _, _ := r.store.Load(); saved.Level != L0 || saved.Upstreams != moved {
		t.Fatalf("store holds %s for %+v, want L0 for the new pair", saved.Level, saved.Upstreams)
	}
	if log := r.eventLog(); !strings.Contains(log, "stored state L3 (on_fallback) since 2026-02-03T14:00:00Z belongs to primary http://ov-old:1933") {
		t.Fatalf("no foreign-state event in:\n%s", log)
	}
}

// A state saved before states were bound is this pair's, and is bound on
// disk from then on.
func TestUnboundStateIsAdopted(t *testing.T) {
	r := newRig(t, nil)
	_ = r.store.Save(State{Level: L1, Phase: Degraded, Since: time.Now()})
	pair := Upstreams{Primary: "http://ov:1933", Fallback: "http://smp:9621"}
	e := r.newEngineWith(Settings{}, func(o *Options) { o.Upstreams = pair })
	if st := e.state(); st.Level != L1 {
		t.Fatalf("unbound state resumed at %s, want L1", st.Level)
	}
	if saved, _, _ := r.store.Load(); saved.Upstreams != pair {
		t.Fatalf("store bound to %+v, want %+v", saved.Upstreams, pair)
	}
}
