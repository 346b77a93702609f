package cache

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var fresh60 = hdr("Cache-Control", "max-age=60")

func storePaths(t *testing.T, c *Cache, body string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		storeOK(t, c, get(p), 200, fresh60, body)
	}
}

// present lists which of paths are still stored, without touching recency
// in a way that matters to the assertions that follow.
func present(t *testing.T, c *Cache, paths ...string) string {
	t.Helper()
	var got []string
	for _, p := range paths {
		if lookupStatus(t, c, get(p)) == Fresh {
			got = append(got, p)
		}
	}
	return strings.Join(got, " ")
}

func TestLRUByEntries(t *testing.T) {
	c, _ := newTestCache(Settings{MaxEntries: 3})
	storePaths(t, c, "x", "/a", "/b", "/c")
	lookupStatus(t, c, get("/a")) // /a becomes most recently used
	storePaths(t, c, "x", "/d")
	if got := present(t, c, "/a", "/b", "/c", "/d"); got != "/a /c /d" {
		t.Errorf("present %q, want /a /c /d", got)
	}
	if s := c.Snapshot(); s.Evictions != 1 || s.Entries != 3 {
		t.Errorf("evictions=%d entries=%d", s.Evictions, s.Entries)
	}
}

func TestLRUByBytes(t *testing.T) {
	body := strings.Repeat("x", 1000)
	probe, _ := newTestCache(Settings{})
	storePaths(t, probe, body, "/a")
	size := probe.Snapshot().Bytes
	c, _ := newTestCache(Settings{MaxBytes: size*5/2 + 8})
	storePaths(t, c, body, "/a", "/b", "/c")
	if got := present(t, c, "/a", "/b", "/c"); got != "/b /c" {
		t.Errorf("present %q, want /b /c", got)
	}
	s := c.Snapshot()
	if s.Bytes > s.MaxBytes || s.Bytes != 2*size || s.Evictions != 1 {
		t.Errorf("bytes=%d max=%d evictions=%d (entry %d)", s.Bytes, s.MaxBytes, s.Evictions, size)
	}
}

func TestReplaceKeepsAccounting(t *testing.T) {
	c, _ := newTestCache(Settings{})
	storePaths(t, c, strings.Repeat("x", 5000), "/a")
	storePaths(t, c, "small", "/a")
	s := c.Snapshot()
	if s.Entries != 1 || s.Bytes > 1000 || s.Evictions != 0 {
		t.Errorf("after replace: %+v", s)
	}
}

func TestResizeShrinkEvictsOldest(t *testing.T) {
	c, _ := newTestCache(Settings{MaxEntries: 10})
	storePaths(t, c, "x", "/1", "/2", "/3", "/4", "/5")
	c.Resize(2)
	if got := present(t, c, "/1", "/2", "/3", "/4", "/5"); got != "/4 /5" {
		t.Errorf("present %q, want /4 /5", got)
	}
	if s := c.Snapshot(); s.Evictions != 3 || s.MaxEntries != 2 || s.Entries != 2 {
		t.Errorf("snapshot %+v", s)
	}
	c.Resize(2000)
	storePaths(t, c, "x", "/6", "/7", "/8")
	if s := c.Snapshot(); s.Entries != 5 || s.MaxEntries != 2000 {
		t.Errorf("after growing: %+v", s)
	}
	c.Resize(0)
	if s := c.Snapshot(); s.MaxEntries != 1 || s.Entries != 1 {
		t.Errorf("Resize(0): %+v", s)
	}
}

func TestSetMaxBytesShrinkEvicts(t *testing.T) {
	c, _ := newTestCache(Settings{})
	storePaths(t, c, strings.Repeat("x", 1000), "/a", "/b", "/c")
	one := c.Snapshot().Bytes / 3
	c.SetMaxBytes(one + 1)
	if got := present(t, c, "/a", "/b", "/c"); got != "/c" {
		t.Errorf("present %q, want /c", got)
	}
	c.SetMaxBytes(0)
	if s := c.Snapshot(); s.Entries != 0 || s.Bytes != 0 || s.MaxBytes != 1 {
		t.Errorf("SetMaxBytes(0): %+v", s)
	}
}

func TestShardedLimitsHoldGlobally(t *testing.T) {
	c, _ := newTestCache(Settings{MaxEntries: 40, MaxBytes: 40 << 10, Shards: 4})
	for i := range 500 {
		storePaths(t, c, strings.Repeat("y", i%900), fmt.Sprintf("/p/%d", i))
	}
	s := c.Snapshot()
	if s.Shards != 4 || s.Entries > 40 || s.Bytes > 40<<10 || s.Entries < 20 {
		t.Errorf("snapshot %+v", s)
	}
	if s.Evictions+uint64(s.Entries) != s.Stores {
		t.Errorf("stores %d != evictions %d + entries %d", s.Stores, s.Evictions, s.Entries)
	}
}

func TestShardCount(t *testing.T) {
	tests := []struct{ asked, entries, want int }{
		{0, 10, 1}, {0, 127, 1}, {0, 128, 2}, {0, 1000, 8}, {0, 2000, 16}, {0, 1 << 20, 16},
		{1, 1 << 20, 1}, {3, 10, 4}, {16, 10, 16},
	}
	for _, tt := range tests {
		if got := shardCount(tt.asked, tt.entries); got != tt.want {
			t.Errorf("shardCount(%d, %d) = %d, want %d", tt.asked, tt.entries, got, tt.want)
		}
	}
	if got := New(Settings{}).Snapshot(); got.Shards != 8 || got.MaxEntries != 1000 ||
		got.MaxBytes != 64<<20 || got.MaxEntryBytes != 1<<20 || got.StaleIfError != time.Hour {
		t.Errorf("defaults %+v", got)
	}
}

func TestPurge(t *testing.T) {
	c, _ := newTestCache(Settings{Shards: 4})
	storePaths(t, c, "x", "/a", "/b", "/c")
	c.Purge()
	if s := c.Snapshot(); s.Entries != 0 || s.Bytes != 0 || s.Evictions != 0 {
		t.Errorf("after purge: %+v", s)
	}
	if st := lookupStatus(t, c, get("/a")); st != Miss {
		t.Errorf("lookup after purge: %v", st)
	}
}

func TestStoreClearsExpiredColdEntries(t *testing.T) {
	c, clk := newTestCache(Settings{StaleIfError: -1})
	storePaths(t, c, "x", "/old1", "/old2")
	clk.Add(61 * time.Second)
	storePaths(t, c, "x", "/new")
	if s := c.Snapshot(); s.Entries != 1 || s.Dropped != 2 || s.Evictions != 0 {
		t.Errorf("snapshot %+v", s)
	}
}
