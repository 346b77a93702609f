package cache

import (
	"testing"
	"time"
)

func TestLookupVary(t *testing.T) {
	tests := []struct {
		name   string
		vary   []string
		stored []string // request header pairs when stored
		lookup []string // request header pairs when looked up
		want   Status
	}{
		{"same value", []string{"Vary", "Accept-Encoding"}, []string{"Accept-Encoding", "gzip"}, []string{"Accept-Encoding", "gzip"}, Fresh},
		{"different value", []string{"Vary", "Accept-Encoding"}, []string{"Accept-Encoding", "gzip"}, []string{"Accept-Encoding", "br"}, Miss},
		{"absent then present", []string{"Vary", "accept-language"}, nil, []string{"Accept-Language", "fr"}, Miss},
		{"both absent", []string{"Vary", "Accept-Language"}, nil, nil, Fresh},
		{"unrelated header differs", []string{"Vary", "Accept"}, []string{"Accept", "a", "X-Other", "1"}, []string{"Accept", "a", "X-Other", "2"}, Fresh},
		{"second of two lines differs", []string{"Vary", "Accept", "Vary", "Accept-Language"},
			[]string{"Accept", "a", "Accept-Language", "en"}, []string{"Accept", "a", "Accept-Language", "de"}, Miss},
		{"list in one line matches", []string{"Vary", "Accept, Accept-Language"},
			[]string{"Accept", "a", "Accept-Language", "en"}, []string{"Accept", "a", "Accept-Language", "en"}, Fresh},
		{"extra value", []string{"Vary", "Accept"}, []string{"Accept", "a"}, []string{"Accept", "a", "Accept", "b"}, Miss},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(Settings{})
			h := hdr(append([]string{"Cache-Control", "max-age=60"}, tt.vary...)...)
			k := storeOK(t, c, get("/r", tt.stored...), 200, h, "x")
			if _, st := c.Lookup(k, get("/r", tt.lookup...)); st != tt.want {
				t.Errorf("Lookup = %v, want %v", st, tt.want)
			}
			if _, ok := c.Stale(k, get("/r", tt.lookup...)); ok != (tt.want == Fresh) {
				t.Errorf("Stale = %v, want %v", ok, tt.want == Fresh)
			}
		})
	}
}

func TestLookupRequestAndResponseDirectives(t *testing.T) {
	tests := []struct {
		name    string
		resp    string
		reqCC   []string
		advance time.Duration
		want    Status
	}{
		{"fresh", "max-age=60", nil, 10 * time.Second, Fresh},
		{"request no-cache", "max-age=60", []string{"Cache-Control", "no-cache"}, 0, MustRevalidate},
		{"request pragma", "max-age=60", []string{"Pragma", "no-cache"}, 0, MustRevalidate},
		{"request max-age=0", "max-age=60", []string{"Cache-Control", "max-age=0"}, 0, MustRevalidate},
		{"request max-age older", "max-age=60", []string{"Cache-Control", "max-age=5"}, 6 * time.Second, MustRevalidate},
		{"request max-age younger", "max-age=60", []string{"Cache-Control", "max-age=5"}, 4 * time.Second, Fresh},
		{"request min-fresh", "max-age=60", []string{"Cache-Control", "min-fresh=30"}, 31 * time.Second, MustRevalidate},
		{"response no-cache while fresh", "no-cache, max-age=60", nil, 0, MustRevalidate},
		{"stale-while-revalidate", "max-age=10, stale-while-revalidate=30", nil, 20 * time.Second, StaleWhileRevalidate},
		{"past stale-while-revalidate", "max-age=10, stale-while-revalidate=30", nil, 40 * time.Second, MustRevalidate},
		{"must-revalidate forbids swr", "max-age=10, must-revalidate, stale-while-revalidate=30", nil, 20 * time.Second, MustRevalidate},
		{"proxy-revalidate forbids swr", "max-age=10, proxy-revalidate, stale-while-revalidate=30", nil, 20 * time.Second, MustRevalidate},
		{"s-maxage forbids swr", "s-maxage=10, stale-while-revalidate=30", nil, 20 * time.Second, MustRevalidate},
		{"request no-cache beats swr", "max-age=10, stale-while-revalidate=30", []string{"Cache-Control", "no-cache"}, 20 * time.Second, MustRevalidate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, clk := newTestCache(Settings{})
			storeOK(t, c, get("/r"), 200, hdr("Cache-Control", tt.resp), "x")
			clk.Add(tt.advance)
			e, st := c.Lookup(mustKey(t, c, get("/r")), get("/r", tt.reqCC...))
			if st != tt.want || e == nil {
				t.Errorf("Lookup = %v (entry %v), want %v", st, e != nil, tt.want)
			}
		})
	}
}

func TestLookupDropsEntryPastEveryWindow(t *testing.T) {
	c, clk := newTestCache(Settings{StaleIfError: time.Minute})
	storeOK(t, c, get("/r"), 200, hdr("Cache-Control", "max-age=10, stale-while-revalidate=120"), "x")
	clk.Add(129 * time.Second) // inside max(sie 60s, swr 120s) past lifetime
	if st := lookupStatus(t, c, get("/r")); st != StaleWhileRevalidate {
		t.Fatalf("inside keep window: %v", st)
	}
	clk.Add(time.Second)
	if st := lookupStatus(t, c, get("/r")); st != Miss {
		t.Fatalf("past keep window: %v, want miss", st)
	}
	if s := c.Snapshot(); s.Entries != 0 || s.Dropped != 1 {
		t.Errorf("entries=%d dropped=%d, want 0 and 1", s.Entries, s.Dropped)
	}
}

func TestTenantIsolation(t *testing.T) {
	tenants := []struct {
		name string
		a, b []string
	}{
		{"api key", []string{"X-API-Key", "alice"}, []string{"X-API-Key", "bob"}},
		{"user", []string{"X-API-Key", "k", "X-OpenViking-User", "alice"}, []string{"X-API-Key", "k", "X-OpenViking-User", "bob"}},
		{"account", []string{"X-OpenViking-Account", "a"}, []string{"X-OpenViking-Account", "b"}},
		{"bearer on post", []string{"Authorization", "Bearer a"}, []string{"Authorization", "Bearer b"}},
		{"anonymous vs keyed", nil, []string{"X-API-Key", "k"}},
	}
	for _, tt := range tenants {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestCache(Settings{})
			for _, mk := range []func(kv ...string) Request{
				func(kv ...string) Request { return get("/api/v1/sessions/s1", kv...) },
				func(kv ...string) Request { return post("/api/v1/search/find", `{"query":"q"}`, kv...) },
			} {
				ka := storeOK(t, c, mk(tt.a...), 200, hdr("Cache-Control", "public, max-age=60"), "for a")
				kb := mustKey(t, c, mk(tt.b...))
				if _, st := c.Lookup(kb, mk(tt.b...)); st != Miss {
					t.Fatalf("tenant b saw tenant a's entry: %v", st)
				}
				if _, ok := c.Stale(kb, mk(tt.b...)); ok {
					t.Fatal("tenant b got tenant a's entry as stale")
				}
				storeOK(t, c, mk(tt.b...), 200, hdr("Cache-Control", "public, max-age=60"), "for b")
				ea, _ := c.Lookup(ka, mk(tt.a...))
				eb, _ := c.Lookup(kb, mk(tt.b...))
				if string(ea.Body) != "for a" || string(eb.Body) != "for b" {
					t.Errorf("cross-tenant answer: a=%q b=%q", ea.Body, eb.Body)
				}
			}
		})
	}
}

func TestLookupCounters(t *testing.T) {
	c, clk := newTestCache(Settings{})
	lookupStatus(t, c, get("/r"))
	storeOK(t, c, get("/r"), 200, hdr("Cache-Control", "max-age=10, stale-while-revalidate=10"), "x")
	lookupStatus(t, c, get("/r"))
	clk.Add(15 * time.Second)
	lookupStatus(t, c, get("/r"))
	clk.Add(10 * time.Second)
	lookupStatus(t, c, get("/r"))
	s := c.Snapshot()
	if s.Lookups != 4 || s.Misses != 1 || s.Hits != 1 || s.StaleServed != 1 || s.Expired != 1 || s.Stores != 1 {
		t.Errorf("snapshot %+v", s)
	}
	if s.HitRatio() != 0.5 {
		t.Errorf("hit ratio %v, want 0.5", s.HitRatio())
	}
}

func TestStatusString(t *testing.T) {
	want := map[Status]string{Miss: "miss", Fresh: "fresh", MustRevalidate: "must-revalidate",
		StaleWhileRevalidate: "stale-while-revalidate", Status(99): "unknown"}
	for s, w := range want {
		if s.String() != w {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), w)
		}
	}
}
