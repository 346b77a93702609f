package main

import (
	"bytes"
	"hash/maphash"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// cache is the bookkeeper's answer cache: GET answers that carry
// Cache-Control max-age, keyed by method, host and request URI, in sharded
// maps so lookups from different connections rarely meet on one lock. It
// never evicts; a full shard simply stores nothing more, which is enough for
// a benchmark that asks for one URL.
type cache struct {
	seed   maphash.Seed
	shards [16]cacheShard
}

type cacheShard struct {
	mu sync.RWMutex
	m  map[uint64]*cacheEntry
}

type cacheEntry struct {
	key         []byte // the full key, to tell hash collisions apart
	contentType []byte
	body        []byte
	expires     int64 // unix nanoseconds
}

type cacheKey struct {
	hash uint64
	key  []byte
}

const shardCapacity = 1024

func newCache() *cache {
	c := &cache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = make(map[uint64]*cacheEntry)
	}
	return c
}

// key builds the request's key into buf, which the caller keeps on its
// stack; store copies it before keeping it.
func (c *cache) key(buf []byte, ctx *fasthttp.RequestCtx) cacheKey {
	k := append(buf, ctx.Method()...)
	k = append(append(k, ' '), ctx.Host()...)
	k = append(k, ctx.RequestURI()...)
	return cacheKey{hash: maphash.Bytes(c.seed, k), key: k}
}

// serve answers ctx from the cache and reports whether it did.
func (c *cache) serve(ctx *fasthttp.RequestCtx, k cacheKey, now time.Time) bool {
	if !ctx.IsGet() {
		return false
	}
	s := &c.shards[k.hash%uint64(len(c.shards))]
	s.mu.RLock()
	e := s.m[k.hash]
	s.mu.RUnlock()
	if e == nil || now.UnixNano() >= e.expires || !bytes.Equal(e.key, k.key) {
		return false
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.Response.Header.SetContentTypeBytes(e.contentType)
	ctx.Response.SetBodyRaw(e.body) // entries are never changed once stored
	ctx.Response.Header.Set("X-Cache", "HIT")
	return true
}

// store keeps ctx's answer when it is a fresh 200 to a GET.
func (c *cache) store(ctx *fasthttp.RequestCtx, k cacheKey, now time.Time) {
	resp := &ctx.Response
	if !ctx.IsGet() || resp.StatusCode() != fasthttp.StatusOK {
		return
	}
	ttl := maxAge(resp.Header.Peek("Cache-Control"))
	if ttl <= 0 {
		return
	}
	e := &cacheEntry{key: bytes.Clone(k.key), contentType: bytes.Clone(resp.Header.ContentType()),
		body: bytes.Clone(resp.Body()), expires: now.Add(ttl).UnixNano()}
	s := &c.shards[k.hash%uint64(len(c.shards))]
	s.mu.Lock()
	if len(s.m) < shardCapacity {
		s.m[k.hash] = e
	}
	s.mu.Unlock()
}

// maxAge returns Cache-Control's max-age, or zero when the answer must not
// be stored or says nothing about freshness.
func maxAge(cc []byte) time.Duration {
	if len(cc) == 0 || bytes.Contains(cc, []byte("no-store")) || bytes.Contains(cc, []byte("private")) {
		return 0
	}
	i := bytes.Index(cc, []byte("max-age="))
	if i < 0 {
		return 0
	}
	n := 0
	for _, ch := range cc[i+len("max-age="):] {
		if ch < '0' || ch > '9' {
			break
		}
		n = n*10 + int(ch-'0')
	}
	return time.Duration(n) * time.Second
}
