package cache

import (
	"net/http"
	"testing"
)

func TestKeySameRequestsShareKey(t *testing.T) {
	c, _ := newTestCache(Settings{})
	tests := []struct{ name, a, b string }{
		{"param order", "/r?a=1&b=2&c=3", "/r?c=3&a=1&b=2"},
		{"empty segments", "/r?a=1&&b=2&", "/r?b=2&a=1"},
		{"repeated name kept in order", "/r?x=0&a=1&a=2", "/r?a=1&a=2&x=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if mustKey(t, c, get(tt.a)) != mustKey(t, c, get(tt.b)) {
				t.Errorf("%s and %s got different keys", tt.a, tt.b)
			}
		})
	}
}

func TestKeyDifferentRequestsDiffer(t *testing.T) {
	c, _ := newTestCache(Settings{})
	tests := []struct {
		name string
		a, b Request
	}{
		{"path", get("/a"), get("/b")},
		{"query value", get("/r?a=1"), get("/r?a=2")},
		{"repeated order", get("/r?a=1&a=2"), get("/r?a=2&a=1")},
		{"query vs none", get("/r?"), get("/r?a")},
		{"method", get("/r"), req(http.MethodHead, "/r")},
		{"escaped slash", get("/a%2Fb"), get("/a/b")},
		{"field boundary", get("/ab?c"), get("/a?bc")},
		{"api key", get("/r", "X-API-Key", "k1"), get("/r", "X-API-Key", "k2")},
		{"api key vs none", get("/r", "X-API-Key", "k1"), get("/r")},
		{"authorization", get("/r", "Authorization", "Bearer a"), get("/r", "Authorization", "Bearer b")},
		{"user", get("/r", "X-OpenViking-User", "u1"), get("/r", "X-OpenViking-User", "u2")},
		{"account", get("/r", "X-OpenViking-Account", "a1"), get("/r", "X-OpenViking-Account", "a2")},
		{"credential moved between headers", get("/r", "X-API-Key", "k"), get("/r", "Authorization", "k")},
		{"post body", post("/q", `{"query":"a"}`), post("/q", `{"query":"b"}`)},
		{"post body tenant", post("/q", `{}`, "X-API-Key", "1"), post("/q", `{}`, "X-API-Key", "2")},
		{"json vs raw text", post("/q", `"x"`), post("/q", `x`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if mustKey(t, c, tt.a) == mustKey(t, c, tt.b) {
				t.Error("different requests share a key")
			}
		})
	}
}

func TestKeyPostCanonicalJSON(t *testing.T) {
	c, _ := newTestCache(Settings{})
	a := post("/api/v1/search/find", `{"query":"cats","limit":10,"filter":{"b":1,"a":[1,2]}}`)
	b := post("/api/v1/search/find", "{\n  \"limit\" : 10,\n\t\"filter\":{\"a\":[1, 2],\"b\":1},\"query\":\"c\\u0061ts\"}\n")
	if mustKey(t, c, a) != mustKey(t, c, b) {
		t.Error("equal JSON bodies with other key order and whitespace got different keys")
	}
	reordered := post("/api/v1/search/find", `{"query":"cats","limit":10,"filter":{"b":1,"a":[2,1]}}`)
	if mustKey(t, c, a) == mustKey(t, c, reordered) {
		t.Error("array order must matter")
	}
	raw1, raw2 := post("/q", "not json {"), post("/q", "not json {")
	if mustKey(t, c, raw1) != mustKey(t, c, raw2) {
		t.Error("identical non-JSON bodies got different keys")
	}
	if mustKey(t, c, post("/q", `{"a":1} {"a":1}`)) == mustKey(t, c, post("/q", `{"a":1}`)) {
		t.Error("trailing data must not be ignored")
	}
}

func TestKeyNotCacheable(t *testing.T) {
	c, _ := newTestCache(Settings{})
	notOptedIn := post("/q", "{}")
	notOptedIn.PostOptIn = false
	tests := []struct {
		name string
		r    Request
	}{
		{"nil request", Request{}},
		{"put", req(http.MethodPut, "/r")},
		{"delete", req(http.MethodDelete, "/r")},
		{"post not opted in", notOptedIn},
		{"no-store", get("/r", "Cache-Control", "no-store")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := c.Key(tt.r); ok {
				t.Error("Key reported cacheable")
			}
		})
	}
}

func TestKeyTenantHeadersSetting(t *testing.T) {
	c, _ := newTestCache(Settings{TenantHeaders: []string{"x-tenant"}})
	if mustKey(t, c, get("/r", "X-Tenant", "a")) == mustKey(t, c, get("/r", "X-Tenant", "b")) {
		t.Error("configured tenant header is not part of the key")
	}
	if mustKey(t, c, get("/r", "X-OpenViking-User", "a")) != mustKey(t, c, get("/r", "X-OpenViking-User", "b")) {
		t.Error("defaults should be replaced by the configured list")
	}
	if mustKey(t, c, get("/r", "X-API-Key", "a")) == mustKey(t, c, get("/r", "X-API-Key", "b")) {
		t.Error("X-API-Key must always be keyed")
	}
}

func TestKeyHoldsNoSecret(t *testing.T) {
	c, _ := newTestCache(Settings{})
	k := mustKey(t, c, get("/r", "X-API-Key", "secret"))
	if k == (Key{}) || len(k.String()) != 16 {
		t.Errorf("unexpected key %v", k)
	}
}

func TestKeySortedQueryDoesNotAllocate(t *testing.T) {
	c, _ := newTestCache(Settings{})
	r := get("/api/v1/sessions/abc?a=1&b=2", "X-API-Key", "k", "X-OpenViking-User", "u")
	c.Key(r)
	if n := testing.AllocsPerRun(100, func() { c.Key(r) }); n != 0 {
		t.Errorf("allocs = %v, want 0", n)
	}
}
