package cache

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse exercises every method at once; run with -race. The
// invariants checked afterwards would break if accounting raced.
func TestConcurrentUse(t *testing.T) {
	c := New(Settings{MaxEntries: 200, MaxBytes: 64 << 10, Shards: 4})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 400 {
				exercise(t, c, g, i)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 50 {
			c.Resize(50 + i*4)
			c.SetMaxBytes(int64(32<<10 + i*1024))
			c.SetAggressive(i%2 == 0, time.Minute)
			_ = c.Snapshot()
		}
	}()
	wg.Wait()
	s := c.Snapshot()
	if s.Entries < 0 || s.Entries > int64(s.MaxEntries) || s.Bytes < 0 || s.Bytes > s.MaxBytes {
		t.Errorf("limits broken: %+v", s)
	}
	var n int64
	for _, sh := range c.shards {
		sh.mu.Lock()
		n += int64(sh.lru.Len())
		sh.mu.Unlock()
	}
	if n != s.Entries || s.Lookups != 8*400 {
		t.Errorf("entries gauge %d, shards hold %d; lookups %d", s.Entries, n, s.Lookups)
	}
}

func exercise(t *testing.T, c *Cache, g, i int) {
	r := get(fmt.Sprintf("/p/%d", i%60), "X-API-Key", fmt.Sprint(g%3))
	k, _ := c.Key(r)
	e, st := c.Lookup(k, r)
	switch {
	case st == Miss:
		c.Store(k, r, 200, hdr("Cache-Control", "max-age=0", "Etag", `"e"`), make([]byte, i%500))
	case st == MustRevalidate && i%3 == 0:
		c.Freshen(k, r, e, hdr("Cache-Control", "max-age=1"))
	case st == MustRevalidate:
		c.Stale(k, r)
	}
	if e != nil && (e.Status != 200 || e.Header.Get("Etag") != `"e"`) {
		t.Errorf("lookup returned a foreign entry: %d %v", e.Status, e.Header)
	}
	if i%97 == 0 {
		c.Purge()
	}
}
