package cache

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

func TestFreshnessSources(t *testing.T) {
	tests := []struct {
		name       string
		h          []string
		defaultTTL time.Duration
		want       time.Duration
	}{
		{"s-maxage beats max-age", []string{"Cache-Control", "max-age=10, s-maxage=20"}, 0, 20 * time.Second},
		{"max-age beats expires", []string{"Cache-Control", "max-age=10", "Expires", httpDate(t0.Add(time.Hour))}, 0, 10 * time.Second},
		{"expires minus date", []string{"Date", httpDate(t0.Add(-5 * time.Second)), "Expires", httpDate(t0.Add(25 * time.Second))}, 0, 30 * time.Second},
		{"expires without date uses receipt", []string{"Expires", httpDate(t0.Add(40 * time.Second))}, 0, 40 * time.Second},
		{"expires beats heuristic", []string{"Expires", httpDate(t0.Add(7 * time.Second)), "Last-Modified", httpDate(t0.Add(-100 * time.Hour))}, 0, 7 * time.Second},
		{"invalid expires is stale", []string{"Expires", "0"}, time.Minute, 0},
		{"heuristic 10 percent", []string{"Last-Modified", httpDate(t0.Add(-1000 * time.Second))}, time.Hour, 100 * time.Second},
		{"heuristic capped at a day", []string{"Last-Modified", httpDate(t0.Add(-1000 * time.Hour))}, 0, 24 * time.Hour},
		{"future last-modified falls back", []string{"Last-Modified", httpDate(t0.Add(time.Hour))}, 9 * time.Second, 9 * time.Second},
		{"default ttl", nil, 15 * time.Second, 15 * time.Second},
		{"nothing", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := parseCacheControl(hdr(tt.h...))
			if got := lifetime(hdr(tt.h...), cc, t0, tt.defaultTTL); got != tt.want {
				t.Errorf("lifetime = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFreshUntilLifetimeThenRevalidate(t *testing.T) {
	tests := []struct {
		name       string
		h          []string
		defaultTTL time.Duration
		life       time.Duration
	}{
		{"max-age", []string{"Cache-Control", "max-age=60"}, 0, 60 * time.Second},
		{"s-maxage", []string{"Cache-Control", "max-age=5, s-maxage=30"}, 0, 30 * time.Second},
		{"expires", []string{"Date", httpDate(t0), "Expires", httpDate(t0.Add(90 * time.Second))}, 0, 90 * time.Second},
		{"heuristic", []string{"Date", httpDate(t0), "Last-Modified", httpDate(t0.Add(-100 * time.Minute))}, 0, 10 * time.Minute},
		{"route default", nil, 45 * time.Second, 45 * time.Second},
		{"age header counts", []string{"Cache-Control", "max-age=60", "Age", "20"}, 0, 40 * time.Second},
		{"date in the past counts", []string{"Cache-Control", "max-age=60", "Date", httpDate(t0.Add(-50 * time.Second))}, 0, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, clk := newTestCache(Settings{})
			r := get("/r")
			r.DefaultTTL = tt.defaultTTL
			storeOK(t, c, r, 200, hdr(tt.h...), "x")
			clk.Add(tt.life - time.Second)
			if st := lookupStatus(t, c, r); st != Fresh {
				t.Fatalf("1s before expiry: %v, want fresh", st)
			}
			clk.Add(time.Second)
			if st := lookupStatus(t, c, r); st != MustRevalidate {
				t.Errorf("at expiry: %v, want must-revalidate", st)
			}
		})
	}
}

func TestWriteToAgeAndXCache(t *testing.T) {
	c, clk := newTestCache(Settings{})
	r := get("/r")
	k := storeOK(t, c, r, 200, hdr("Cache-Control", "max-age=600", "Age", "7", "Content-Type", "text/plain"), "hello")
	clk.Add(13*time.Second + 500*time.Millisecond)
	e, _ := c.Lookup(k, r)
	rec := httptest.NewRecorder()
	rec.Header().Set("X-Before", "1")
	e.WriteTo(rec, clk.Now(), XCacheHit)
	res := rec.Result()
	checks := map[string]string{"Age": "20", "X-Cache": "HIT", "Content-Type": "text/plain", "X-Before": "1"}
	for name, want := range checks {
		if got := res.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if res.StatusCode != 200 || rec.Body.String() != "hello" {
		t.Errorf("got %d %q", res.StatusCode, rec.Body.String())
	}
	rec.Header()["Content-Type"][0] = "mutated"
	if e.Header.Get("Content-Type") != "text/plain" {
		t.Error("WriteTo shares header slices with the entry")
	}
}

func TestWriteToStatusAndEmptyBody(t *testing.T) {
	c, _ := newTestCache(Settings{})
	r := get("/gone")
	k := storeOK(t, c, r, 410, hdr("Cache-Control", "max-age=60"), "")
	e, _ := c.Lookup(k, r)
	rec := httptest.NewRecorder()
	e.WriteTo(rec, t0, XCacheStale)
	if rec.Code != 410 || rec.Header().Get("X-Cache") != "STALE" || rec.Header().Get("Age") != "0" {
		t.Errorf("got %d %v", rec.Code, rec.Header())
	}
}
