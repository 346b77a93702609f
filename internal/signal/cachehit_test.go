package signal

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
)

func TestCacheHitRateDeltas(t *testing.T) {
	snap := cache.Snapshot{}
	src := CacheHitRate(func() cache.Snapshot { return snap }, 10)
	ctx := context.Background()

	snap = cache.Snapshot{Lookups: 6, Hits: 1}
	r := src.Read(ctx, t0)
	wantInvalid(t, r, nil)
	wantDetail(t, r, "6 lookups since last reading, need 10")

	// Below the minimum the counters keep accumulating from the same mark.
	snap = cache.Snapshot{Lookups: 12, Hits: 3, StaleServed: 1, Revalidated: 1}
	r = src.Read(ctx, t0)
	wantValid(t, r, 5.0/12)
	wantDetail(t, r, "5 of 12 lookups")

	// The next reading covers only what happened since.
	snap = cache.Snapshot{Lookups: 32, Hits: 13, StaleServed: 1, Revalidated: 1}
	wantValid(t, src.Read(ctx, t0), 10.0/20)

	// Counters going backwards (a rebuilt cache) restart from zero.
	snap = cache.Snapshot{Lookups: 10, Hits: 1}
	wantValid(t, src.Read(ctx, t0), 0.1)
}

func TestCacheHitRateWithRealCache(t *testing.T) {
	c := cache.New(cache.Settings{})
	src := CacheHitRate(c.Snapshot, 4)
	req := cache.Request{HTTP: httptest.NewRequest(http.MethodGet, "/api/v1/fs/ls", nil), DefaultTTL: time.Minute}
	k, ok := c.Key(req)
	if !ok {
		t.Fatal("request not cacheable")
	}
	c.Lookup(k, req) // miss
	if !c.Store(k, req, http.StatusOK, http.Header{}, []byte("{}")) {
		t.Fatal("response not stored")
	}
	for range 3 {
		c.Lookup(k, req) // hits
	}
	wantValid(t, src.Read(context.Background(), t0), 0.75)
}
