package cache

import (
	"testing"
	"time"
)

func TestAggressiveStoresAndForces(t *testing.T) {
	tests := []struct {
		name   string
		r      Request
		status int
		h      []string
		stored bool
	}{
		{"no freshness", get("/r"), 200, nil, true},
		{"max-age=0", get("/r"), 200, []string{"Cache-Control", "max-age=0"}, true},
		{"no-cache", get("/r"), 200, []string{"Cache-Control", "no-cache"}, true},
		{"expired", get("/r"), 200, []string{"Expires", "0"}, true},
		{"authorization", get("/r", "Authorization", "Bearer t"), 200, nil, true},
		{"204", get("/r"), 204, nil, true},
		{"post query", post("/q", `{"q":1}`), 200, nil, true},
		{"no-store", get("/r"), 200, []string{"Cache-Control", "no-store"}, false},
		{"private", get("/r"), 200, []string{"Cache-Control", "private"}, false},
		{"set-cookie", get("/r"), 200, []string{"Set-Cookie", "a=b"}, false},
		{"201", get("/r"), 201, nil, false},
		{"500", get("/r"), 500, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, clk := newTestCache(Settings{StaleIfError: -1})
			c.SetAggressive(true, time.Hour)
			k := mustKey(t, c, tt.r)
			if got := c.Store(k, tt.r, tt.status, hdr(tt.h...), []byte("x")); got != tt.stored {
				t.Fatalf("Store = %v, want %v", got, tt.stored)
			}
			if !tt.stored {
				return
			}
			clk.Add(time.Hour - time.Second)
			forced := tt.r
			forced.HTTP.Header.Set("Cache-Control", "no-cache")
			if _, st := c.Lookup(k, forced); st != Fresh {
				t.Errorf("inside ttl: %v, want fresh", st)
			}
			clk.Add(time.Second)
			if _, st := c.Lookup(k, tt.r); st == Fresh {
				t.Error("still forced past ttl")
			}
		})
	}
}

func TestAggressiveForcesExistingEntries(t *testing.T) {
	c, clk := newTestCache(Settings{})
	storeOK(t, c, get("/ok"), 200, hdr("Cache-Control", "max-age=10"), "x")
	storeOK(t, c, get("/missing"), 404, hdr("Cache-Control", "max-age=10"), "x")
	clk.Add(20 * time.Minute)
	if st := lookupStatus(t, c, get("/ok")); st != MustRevalidate {
		t.Fatalf("before aggressive: %v", st)
	}
	c.SetAggressive(true, time.Hour)
	if st := lookupStatus(t, c, get("/ok")); st != Fresh {
		t.Errorf("existing 2xx under aggressive: %v, want fresh", st)
	}
	if st := lookupStatus(t, c, get("/missing")); st != MustRevalidate {
		t.Errorf("404 under aggressive: %v, want must-revalidate (only 2xx is forced)", st)
	}
	c.SetAggressive(false, 0)
	if st := lookupStatus(t, c, get("/ok")); st != MustRevalidate {
		t.Errorf("after turning off: %v, want must-revalidate", st)
	}
}

func TestAggressiveOffRestoresRFC(t *testing.T) {
	c, _ := newTestCache(Settings{})
	c.SetAggressive(true, time.Hour)
	storeOK(t, c, get("/nocache"), 200, hdr("Cache-Control", "no-cache, max-age=600"), "x")
	storeOK(t, c, get("/auth", "Authorization", "Bearer t"), 200, hdr("Cache-Control", "max-age=600"), "x")
	storeOK(t, c, get("/plain"), 200, hdr("Cache-Control", "max-age=600"), "x")
	c.SetAggressive(false, 0)
	want := map[string]Status{"/nocache": MustRevalidate, "/plain": Fresh}
	for p, w := range want {
		if st := lookupStatus(t, c, get(p)); st != w {
			t.Errorf("%s: %v, want %v", p, st, w)
		}
	}
	if st := lookupStatus(t, c, get("/auth", "Authorization", "Bearer t")); st != MustRevalidate {
		t.Errorf("entry only aggressive mode allowed: %v, want must-revalidate", st)
	}
	k := mustKey(t, c, get("/auth", "Authorization", "Bearer t"))
	if c.Store(k, get("/auth", "Authorization", "Bearer t"), 200, hdr("Cache-Control", "max-age=600"), nil) {
		t.Error("RFC Authorization rule not restored")
	}
}

func TestSetAggressiveSnapshot(t *testing.T) {
	c, _ := newTestCache(Settings{})
	c.SetAggressive(true, 0)
	if s := c.Snapshot(); !s.Aggressive || s.AggressiveTTL != DefaultAggressiveTTL {
		t.Errorf("on: %+v", s)
	}
	c.SetAggressive(false, time.Minute)
	if s := c.Snapshot(); s.Aggressive || s.AggressiveTTL != 0 {
		t.Errorf("off: %+v", s)
	}
}

func TestAggressiveStaleServesForcedWindow(t *testing.T) {
	c, clk := newTestCache(Settings{StaleIfError: -1})
	c.SetAggressive(true, time.Hour)
	k := storeOK(t, c, get("/r"), 200, hdr("Cache-Control", "max-age=0"), "x")
	clk.Add(30 * time.Minute)
	if _, ok := c.Stale(k, get("/r")); !ok {
		t.Error("forced entry not servable on error inside ttl")
	}
}
