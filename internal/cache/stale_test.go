package cache

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestStaleIfErrorWindows(t *testing.T) {
	tests := []struct {
		name    string
		setting time.Duration
		resp    string
		advance time.Duration
		want    bool
	}{
		{"fresh entry", 0, "max-age=60", 30 * time.Second, true},
		{"default window inside", 0, "max-age=60", 60*time.Second + 59*time.Minute, true},
		{"default window past", 0, "max-age=60", 61*time.Second + time.Hour, false},
		{"setting inside", 5 * time.Minute, "max-age=60", 5 * time.Minute, true},
		{"setting past", 5 * time.Minute, "max-age=60", 6 * time.Minute, false},
		{"setting disabled", -1, "max-age=60, stale-while-revalidate=600", 61 * time.Second, false},
		{"response window beats setting, inside", time.Hour, "max-age=60, stale-if-error=30", 89 * time.Second, true},
		{"response window beats setting, past", time.Hour, "max-age=60, stale-if-error=30", 91 * time.Second, false},
		{"response window when setting disabled", -1, "max-age=60, stale-if-error=30", 89 * time.Second, true},
		{"zero freshness", 0, "max-age=0", 30 * time.Minute, true},
		{"must-revalidate", 0, "max-age=60, must-revalidate, stale-if-error=600", 61 * time.Second, false},
		{"proxy-revalidate", 0, "max-age=60, proxy-revalidate", 61 * time.Second, false},
		{"no-cache", 0, "no-cache, max-age=60", 61 * time.Second, false},
		{"s-maxage", 0, "s-maxage=60", 61 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, clk := newTestCache(Settings{StaleIfError: tt.setting})
			k := storeOK(t, c, get("/r"), 200, hdr("Cache-Control", tt.resp), "old")
			clk.Add(tt.advance)
			e, ok := c.Stale(k, get("/r"))
			if ok != tt.want {
				t.Fatalf("Stale = %v, want %v", ok, tt.want)
			}
			if ok && string(e.Body) != "old" {
				t.Errorf("body %q", e.Body)
			}
			if got := c.Snapshot().StaleServed; got != map[bool]uint64{true: 1}[ok] {
				t.Errorf("StaleServed = %d", got)
			}
		})
	}
}

func TestStaleMissingKey(t *testing.T) {
	c, _ := newTestCache(Settings{})
	if _, ok := c.Stale(mustKey(t, c, get("/nothing")), get("/nothing")); ok {
		t.Error("Stale found an entry that was never stored")
	}
}

// TestStaleIfErrorWithRealClock drives the default clock (Now nil) with
// synctest's fake time.
func TestStaleIfErrorWithRealClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := New(Settings{Shards: 1, StaleIfError: 10 * time.Minute})
		r := get("/r")
		k := storeOK(t, c, r, 200, hdr("Cache-Control", "max-age=60"), "x")
		time.Sleep(61 * time.Second)
		if _, st := c.Lookup(k, r); st != MustRevalidate {
			t.Fatalf("after max-age: %v", st)
		}
		if _, ok := c.Stale(k, r); !ok {
			t.Fatal("no stale entry inside stale-if-error")
		}
		time.Sleep(10 * time.Minute)
		if _, ok := c.Stale(k, r); ok {
			t.Fatal("stale entry served past stale-if-error")
		}
		if c.Snapshot().Entries != 0 {
			t.Error("entry past every window was not dropped")
		}
	})
}
