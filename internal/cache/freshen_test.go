package cache

import (
	"net/http/httptest"
	"testing"
	"time"
)

// staleEntry stores a response with validators and lets it go stale.
func staleEntry(t *testing.T) (*Cache, *clock, Key, *Entry) {
	t.Helper()
	c, clk := newTestCache(Settings{})
	h := hdr("Cache-Control", "max-age=10", "Etag", `W/"v1"`, "Last-Modified", httpDate(t0.Add(-time.Hour)),
		"Content-Length", "5", "X-Old", "1", "X-Both", "old")
	k := storeOK(t, c, get("/r"), 200, h, "hello")
	clk.Add(20 * time.Second)
	e, st := c.Lookup(k, get("/r"))
	if st != MustRevalidate {
		t.Fatalf("setup: %v", st)
	}
	return c, clk, k, e
}

func TestValidators(t *testing.T) {
	_, _, _, e := staleEntry(t)
	etag, lm := e.Validators()
	if etag != `W/"v1"` || lm != httpDate(t0.Add(-time.Hour)) {
		t.Errorf("Validators = %q, %q", etag, lm)
	}
}

func TestFreshenFrom304(t *testing.T) {
	c, clk, k, e := staleEntry(t)
	h304 := hdr("Cache-Control", "max-age=30", "Etag", `"v1"`, "Date", httpDate(clk.Now()),
		"Content-Length", "0", "X-Both", "new", "Connection", "close")
	f := c.Freshen(k, get("/r"), e, h304)
	if f == nil {
		t.Fatal("Freshen returned nil")
	}
	checks := map[string]string{"X-Old": "1", "X-Both": "new", "Content-Length": "5", "Connection": ""}
	for name, want := range checks {
		if got := f.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if string(f.Body) != "hello" || e.Header.Get("X-Both") != "old" {
		t.Error("body lost or the old entry was mutated")
	}
	rec := httptest.NewRecorder()
	f.WriteTo(rec, clk.Now(), XCacheRevalidated)
	if rec.Header().Get("Age") != "0" || rec.Header().Get("X-Cache") != "REVALIDATED" {
		t.Errorf("served headers %v", rec.Header())
	}
	clk.Add(29 * time.Second)
	if got, st := c.Lookup(k, get("/r")); st != Fresh || got != f {
		t.Errorf("after freshen: %v", st)
	}
	clk.Add(time.Second)
	if st := lookupStatus(t, c, get("/r")); st != MustRevalidate {
		t.Errorf("after new max-age: %v", st)
	}
	if s := c.Snapshot(); s.Revalidated != 1 || s.Stores != 2 || s.Entries != 1 {
		t.Errorf("snapshot %+v", s)
	}
}

func TestFreshenAgeFrom304(t *testing.T) {
	c, _, k, e := staleEntry(t)
	f := c.Freshen(k, get("/r"), e, hdr("Cache-Control", "max-age=30", "Age", "25"))
	if got := f.Age(f.stored); got != 25*time.Second {
		t.Errorf("age = %v, want 25s", got)
	}
	if _, st := c.Lookup(k, get("/r")); st != Fresh {
		t.Errorf("lookup = %v", st)
	}
}

func TestFreshenETagMismatch(t *testing.T) {
	c, _, k, e := staleEntry(t)
	if f := c.Freshen(k, get("/r"), e, hdr("Etag", `"v2"`)); f != nil {
		t.Error("Freshen accepted a 304 for another representation")
	}
	if got, st := c.Lookup(k, get("/r")); st != MustRevalidate || got != e {
		t.Errorf("cache changed: %v", st)
	}
	if c.Freshen(k, get("/r"), nil, hdr()) != nil {
		t.Error("Freshen(nil entry) should be nil")
	}
}

func TestFreshenNoLongerStorable(t *testing.T) {
	for _, h := range [][]string{
		{"Cache-Control", "no-store"},
		{"Cache-Control", "private, max-age=60"},
		{"Set-Cookie", "s=1", "Cache-Control", "max-age=60"},
	} {
		c, _, k, e := staleEntry(t)
		f := c.Freshen(k, get("/r"), e, hdr(h...))
		if f == nil || string(f.Body) != "hello" {
			t.Fatalf("%v: the 304's merged response should still be returned", h)
		}
		if st := lookupStatus(t, c, get("/r")); st != Miss {
			t.Errorf("%v: entry kept after origin forbade storing: %v", h, st)
		}
	}
}
